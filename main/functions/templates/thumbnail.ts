/**
 * Template code: a thumbnail-style example. Without native image libraries it writes an
 * honest derived object (a text summary of the upload) under `thumbnails/`; the comments
 * say where a real function would resize the image.
 */

export const NODE_THUMBNAIL = `'use strict'
// Thumbnail-style example: for every uploaded object, read it back from COS and write a
// small derived object to thumbnails/<key>.txt (a real function would resize an image).
// cos.js (beside this file) talks to COS Local; in the cloud you would use the COS SDK instead.
const cos = require('./cos.js')

exports.main_handler = async (event) => {
  const results = []
  for (const record of event.Records || []) {
    const bucket = record.cos.cosBucket.name + '-' + record.cos.cosBucket.appid
    const key = record.cos.cosObject.key.split('/').slice(3).join('/')
    if (key.startsWith('thumbnails/')) {
      console.log('skipping our own output', key)
      continue
    }
    const original = await cos.getObject(bucket, key)
    const summary = 'thumbnail of ' + key + ': ' + original.length + ' bytes, first bytes ' + original.subarray(0, 16).toString('hex')
    await cos.putObject(bucket, 'thumbnails/' + key + '.txt', summary)
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
# cos_client.py (beside this file) talks to COS Local; in the cloud you would use cos-python-sdk-v5.
import cos_client


def main_handler(event, context):
    results = []
    for record in event.get("Records", []):
        bucket = record["cos"]["cosBucket"]["name"] + "-" + record["cos"]["cosBucket"]["appid"]
        key = "/".join(record["cos"]["cosObject"]["key"].split("/")[3:])
        if key.startswith("thumbnails/"):
            print("skipping our own output", key)
            continue
        original = cos_client.get_object(bucket, key)
        summary = "thumbnail of %s: %d bytes, first bytes %s" % (key, len(original), original[:16].hex())
        target = "thumbnails/" + key + ".txt"
        cos_client.put_object(bucket, target, summary.encode("utf-8"))
        print("wrote " + target)
        results.append(target)
    return results
`
