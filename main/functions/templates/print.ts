/** Template code: print the COS event SCF delivers and return a short summary. */

export const NODE_PRINT = `'use strict'
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

export const PYTHON_PRINT = `# -*- coding: utf8 -*-
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
