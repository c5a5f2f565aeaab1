/**
 * Template code: call your own HTTP service with each object's details — a POST of JSON
 * to the URL in the WEBHOOK_URL environment variable.
 */

export const NODE_WEBHOOK = `'use strict'
// Calls your own HTTP service: for every COS event, POST the object's details as JSON to
// the URL in the WEBHOOK_URL environment variable (set it with --env WEBHOOK_URL=...).
const http = require('node:http')
const https = require('node:https')

function postJson(url, value) {
  const body = Buffer.from(JSON.stringify(value))
  const client = url.startsWith('https:') ? https : http
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': body.length }
    const req = client.request(url, { method: 'POST', headers }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }))
    })
    req.setTimeout(10000, () => req.destroy(new Error('no answer from ' + url + ' in 10 s')))
    req.on('error', reject)
    req.end(body)
  })
}

exports.main_handler = async (event) => {
  const url = process.env.WEBHOOK_URL
  if (!url) throw new Error('Set the WEBHOOK_URL environment variable to the URL of your service')
  const answers = []
  for (const record of event.Records || []) {
    const object = record.cos.cosObject
    const details = {
      event: record.event.eventName,
      bucket: record.cos.cosBucket.name + '-' + record.cos.cosBucket.appid,
      region: record.cos.cosBucket.cosRegion || record.cos.cosBucket.region,
      key: object.key.split('/').slice(3).join('/'),
      size: object.size,
      requestId: (object.meta && object.meta['x-cos-request-id']) || undefined,
      contentType: (object.meta && object.meta['Content-Type']) || undefined,
      url: object.url,
      eventTime: record.event.eventTime
    }
    const answer = await postJson(url, details)
    console.log('POST', url, details.key, '->', answer.status)
    if (answer.status >= 400) throw new Error('your service answered ' + answer.status + ': ' + answer.body.slice(0, 200))
    answers.push(answer.status)
  }
  return answers
}
`

export const PYTHON_WEBHOOK = `# -*- coding: utf8 -*-
# Calls your own HTTP service: for every COS event, POST the object's details as JSON to
# the URL in the WEBHOOK_URL environment variable (set it with --env WEBHOOK_URL=...).
import json
import os
import urllib.request


def main_handler(event, context):
    url = os.environ.get("WEBHOOK_URL")
    if not url:
        raise RuntimeError("Set the WEBHOOK_URL environment variable to the URL of your service")
    answers = []
    for record in event.get("Records", []):
        obj = record["cos"]["cosObject"]
        bucket = record["cos"]["cosBucket"]
        meta = obj.get("meta") or {}
        details = {
            "event": record["event"]["eventName"],
            "bucket": bucket["name"] + "-" + bucket["appid"],
            "region": bucket.get("cosRegion") or bucket.get("region"),
            "key": "/".join(obj["key"].split("/")[3:]),
            "size": obj.get("size"),
            "requestId": meta.get("x-cos-request-id"),
            "contentType": meta.get("Content-Type"),
            "url": obj.get("url"),
            "eventTime": record["event"].get("eventTime"),
        }
        request = urllib.request.Request(
            url,
            data=json.dumps(details).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            status = response.status
        print("POST", url, details["key"], "->", status)
        answers.append(status)
    return answers
`
