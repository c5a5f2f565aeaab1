/**
 * Template code: unpack every uploaded .zip under `unzipped/<zip name>/`. Node reads the
 * archive with a small reader over zlib.inflateRawSync (no packages to install); Python
 * with its zipfile module. Both talk to COS Local through the template's COS client (cos-client.ts).
 */

export const NODE_UNZIP = `'use strict'
// Auto-unzip: for every uploaded .zip, read it back from COS and PUT each file it holds
// under unzipped/<zip name without .zip>/<path in the zip>. Set TARGET_PREFIX to change
// "unzipped/". Add a trigger with --suffix .zip. cos.js (beside this file) talks to COS Local;
// in the cloud you would use the COS SDK with the function's role instead.
const zlib = require('node:zlib')
const cos = require('./cos.js')

// The entries of a zip, from its central directory (stored and deflated entries; no ZIP64).
function readZip(zip) {
  let end = -1
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65535); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) { end = at; break }
  }
  if (end < 0) throw new Error('not a zip file (no end of central directory)')
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const entries = []
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('damaged central directory')
    const method = zip.readUInt16LE(at + 10)
    const packedSize = zip.readUInt32LE(at + 20)
    const size = zip.readUInt32LE(at + 24)
    const nameLength = zip.readUInt16LE(at + 28)
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
    at += 46 + skip
    if (name.endsWith('/')) continue
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const packed = zip.subarray(start, start + packedSize)
    if (method !== 0 && method !== 8) throw new Error(name + ': unsupported compression method ' + method)
    const data = method === 0 ? packed : zlib.inflateRawSync(packed)
    if (data.length !== size) throw new Error(name + ': size does not match the directory')
    entries.push({ name, data })
  }
  return entries
}

exports.main_handler = async (event) => {
  const prefix = process.env.TARGET_PREFIX || 'unzipped/'
  const written = []
  for (const record of event.Records || []) {
    const bucket = record.cos.cosBucket.name + '-' + record.cos.cosBucket.appid
    const key = record.cos.cosObject.key.split('/').slice(3).join('/')
    if (key.startsWith(prefix) || !key.toLowerCase().endsWith('.zip')) {
      console.log('skipping', key)
      continue
    }
    const zip = await cos.getObject(bucket, key)
    const folder = prefix + key.split('/').pop().replace(/\\.zip$/i, '') + '/'
    for (const entry of readZip(zip)) {
      const parts = entry.name.replace(/\\\\/g, '/').split('/').filter((part) => part && part !== '.' && part !== '..')
      if (parts.length === 0) continue
      const target = folder + parts.join('/')
      await cos.putObject(bucket, target, entry.data)
      console.log('unzipped', entry.name, '->', target, '(' + entry.data.length + ' bytes)')
      written.push(target)
    }
  }
  return written
}
`

export const PYTHON_UNZIP = `# -*- coding: utf8 -*-
# Auto-unzip: for every uploaded .zip, read it back from COS and PUT each file it holds
# under unzipped/<zip name without .zip>/<path in the zip>. Set TARGET_PREFIX to change
# "unzipped/". Add a trigger with --suffix .zip. cos_client.py (beside this file) talks to
# COS Local; in the cloud you would use cos-python-sdk-v5 with the function's role instead.
import io
import os
import zipfile

import cos_client


def main_handler(event, context):
    prefix = os.environ.get("TARGET_PREFIX") or "unzipped/"
    written = []
    for record in event.get("Records", []):
        bucket = record["cos"]["cosBucket"]["name"] + "-" + record["cos"]["cosBucket"]["appid"]
        key = "/".join(record["cos"]["cosObject"]["key"].split("/")[3:])
        if key.startswith(prefix) or not key.lower().endswith(".zip"):
            print("skipping", key)
            continue
        data = cos_client.get_object(bucket, key)
        folder = prefix + key.split("/")[-1][:-4] + "/"
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                parts = [p for p in info.filename.replace("\\\\", "/").split("/") if p not in ("", ".", "..")]
                if not parts:
                    continue
                target = folder + "/".join(parts)
                body = archive.read(info)
                cos_client.put_object(bucket, target, body)
                print("unzipped", info.filename, "->", target, "(%d bytes)" % len(body))
                written.append(target)
    return written
`
