/**
 * Built-in function templates: the code a new function starts from, as the SCF console's
 * "print the COS event" examples, and a thumbnail-style example that reads the uploaded
 * object back from COS Local and writes a derived object under `thumbnails/`.
 */
import type { Runtime } from '../core/functions/function-config.ts'

export interface FunctionTemplate {
  id: string
  runtime: Runtime
  description: string
  files: Record<string, string>
}

const NODE_PRINT = `'use strict'
// Prints the COS event SCF delivers and returns a short summary.
exports.main_handler = async (event, context) => {
  console.log('Received event:', JSON.stringify(event, null, 2))
  const records = event.Records || []
  return records.map((record) => ({
    event: record.event.eventName,
    bucket: record.cos.cosBucket.name + '-' + record.cos.cosBucket.appid,
    key: record.cos.cosObject.key.split('/').slice(3).join('/'),
    size: record.cos.cosObject.size
  }))
}
`

const PYTHON_PRINT = `# -*- coding: utf8 -*-
# Prints the COS event SCF delivers and returns a short summary.
import json


def main_handler(event, context):
    print("Received event: " + json.dumps(event, indent=2))
    summary = []
    for record in event.get("Records", []):
        bucket = record["cos"]["cosBucket"]
        summary.append({
            "event": record["event"]["eventName"],
            "bucket": bucket["name"] + "-" + bucket["appid"],
            "key": "/".join(record["cos"]["cosObject"]["key"].split("/")[3:]),
            "size": record["cos"]["cosObject"]["size"],
        })
    return summary
`

const NODE_THUMBNAIL = `'use strict'
// Thumbnail-style example: for every uploaded object, read it back from COS and write a
// small derived object to thumbnails/<key>.txt (a real function would resize an image).
// COS_LOCAL_ENDPOINT is set by COS Local; in the cloud you would use the COS SDK instead.
const http = require('node:http')

function request(method, url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: body ? { 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

exports.main_handler = async (event) => {
  const endpoint = process.env.COS_LOCAL_ENDPOINT
  if (!endpoint) throw new Error('COS_LOCAL_ENDPOINT is not set')
  const results = []
  for (const record of event.Records || []) {
    const bucket = record.cos.cosBucket.name + '-' + record.cos.cosBucket.appid
    const key = record.cos.cosObject.key.split('/').slice(3).join('/')
    if (key.startsWith('thumbnails/')) {
      console.log('skipping our own output', key)
      continue
    }
    const path = '/' + bucket + '/' + key.split('/').map(encodeURIComponent).join('/')
    const original = await request('GET', endpoint + path)
    if (original.status !== 200) throw new Error('GET ' + key + ' failed with ' + original.status)
    const summary = 'thumbnail of ' + key + ': ' + original.body.length + ' bytes, first bytes ' + original.body.subarray(0, 16).toString('hex')
    const target = '/' + bucket + '/thumbnails/' + key.split('/').map(encodeURIComponent).join('/') + '.txt'
    const put = await request('PUT', endpoint + target, summary)
    if (put.status !== 200) throw new Error('PUT thumbnail failed with ' + put.status)
    console.log('wrote thumbnails/' + key + '.txt')
    results.push('thumbnails/' + key + '.txt')
  }
  return results
}
`

export const FUNCTION_TEMPLATES: readonly FunctionTemplate[] = [
  {
    id: 'nodejs-print-event',
    runtime: 'nodejs',
    description: 'Node.js: print the COS event',
    files: { 'index.js': NODE_PRINT }
  },
  {
    id: 'python-print-event',
    runtime: 'python3',
    description: 'Python 3: print the COS event',
    files: { 'index.py': PYTHON_PRINT }
  },
  {
    id: 'nodejs-thumbnail',
    runtime: 'nodejs',
    description: 'Node.js: read each uploaded object and write thumbnails/<key>.txt',
    files: { 'index.js': NODE_THUMBNAIL }
  }
]

export function findTemplate(id: string): FunctionTemplate | undefined {
  return FUNCTION_TEMPLATES.find((template) => template.id === id)
}
