/**
 * Template code: a thumbnail-style example. Without native image libraries it writes an
 * honest derived object (a text summary of the upload) under `thumbnails/`; the comments
 * say where a real function would resize the image.
 */

export const NODE_THUMBNAIL = `'use strict'
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

export const PYTHON_THUMBNAIL = `# -*- coding: utf8 -*-
# Thumbnail-style example: for every uploaded object, read it back from COS and write a
# small derived object to thumbnails/<key>.txt. A real function would resize the image
# here (e.g. with Pillow packaged beside index.py); this one only summarises the bytes.
# COS_LOCAL_ENDPOINT is set by COS Local; in the cloud you would use cos-python-sdk-v5.
import os
import urllib.parse
import urllib.request


def object_url(endpoint, bucket, key):
    return endpoint + "/" + bucket + "/" + urllib.parse.quote(key, safe="/")


def main_handler(event, context):
    endpoint = os.environ.get("COS_LOCAL_ENDPOINT")
    if not endpoint:
        raise RuntimeError("COS_LOCAL_ENDPOINT is not set")
    results = []
    for record in event.get("Records", []):
        bucket = record["cos"]["cosBucket"]["name"] + "-" + record["cos"]["cosBucket"]["appid"]
        key = "/".join(record["cos"]["cosObject"]["key"].split("/")[3:])
        if key.startswith("thumbnails/"):
            print("skipping our own output", key)
            continue
        with urllib.request.urlopen(object_url(endpoint, bucket, key)) as response:
            original = response.read()
        summary = "thumbnail of %s: %d bytes, first bytes %s" % (key, len(original), original[:16].hex())
        target = "thumbnails/" + key + ".txt"
        put = urllib.request.Request(object_url(endpoint, bucket, target), data=summary.encode("utf-8"), method="PUT")
        with urllib.request.urlopen(put) as response:
            response.read()
        print("wrote " + target)
        results.append(target)
    return results
`
