/**
 * Template code: the small COS client the thumbnail and unzip templates ship beside their
 * handler (`cos.js` / `cos_client.py`), so a template runs with no packages installed.
 * Path-style requests to COS_LOCAL_ENDPOINT, q-sign signed with TENCENTCLOUD_SECRETID and
 * TENCENTCLOUD_SECRETKEY (the variables SCF gives a function that has a role), so they work
 * when COS Local verifies signatures. Like the official SDKs, a request refused for its time
 * (a sped-up emulated clock) is signed again on the server's clock, read from its Date header.
 */

export const NODE_COS_CLIENT = `'use strict'
// A minimal COS client for this function: GET and PUT of objects on COS_LOCAL_ENDPOINT.
// Requests are signed (q-sign, HMAC-SHA1) with TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY,
// which COS Local sets as SCF does for a function with a role. In the cloud, use the official
// SDK instead: new COS({ SecretId, SecretKey, SecurityToken: process.env.TENCENTCLOUD_SESSIONTOKEN }).
const http = require('node:http')
const crypto = require('node:crypto')

let clockOffsetSeconds = 0 // how far the server's clock is ahead of ours

const sha1 = (text) => crypto.createHash('sha1').update(text).digest('hex')
const hmac = (key, text) => crypto.createHmac('sha1', key).update(text).digest('hex')

function authorization(method, pathname) {
  const secretId = process.env.TENCENTCLOUD_SECRETID
  const secretKey = process.env.TENCENTCLOUD_SECRETKEY
  if (!secretId || !secretKey) return undefined
  const now = Math.floor(Date.now() / 1000) + clockOffsetSeconds
  const keyTime = now - 60 + ';' + (now + 900)
  const httpString = method.toLowerCase() + '\\n' + pathname + '\\n\\n\\n'
  const stringToSign = 'sha1\\n' + keyTime + '\\n' + sha1(httpString) + '\\n'
  const signature = hmac(hmac(secretKey, keyTime), stringToSign)
  return [
    'q-sign-algorithm=sha1',
    'q-ak=' + secretId,
    'q-sign-time=' + keyTime,
    'q-key-time=' + keyTime,
    'q-header-list=',
    'q-url-param-list=',
    'q-signature=' + signature
  ].join('&')
}

function send(method, bucket, key, body) {
  const endpoint = process.env.COS_LOCAL_ENDPOINT
  if (!endpoint) return Promise.reject(new Error('COS_LOCAL_ENDPOINT is not set'))
  const url = endpoint + '/' + bucket + '/' + key.split('/').map(encodeURIComponent).join('/')
  const headers = {}
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body)
  const auth = authorization(method, '/' + bucket + '/' + key)
  if (auth) headers.authorization = auth
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const field = (name, xml) => (new RegExp('<' + name + '>([^<]*)</' + name + '>').exec(xml) || [])[1] || ''

// A refusal for the request's time: too far ahead, or expired (the pair the SDKs match).
function isTimeError(res) {
  const xml = res.body.toString()
  const code = field('Code', xml)
  return res.status === 403 && (code === 'RequestTimeTooSkewed' || (code === 'AccessDenied' && field('Message', xml) === 'Request has expired'))
}

async function request(method, bucket, key, body) {
  let res = await send(method, bucket, key, body)
  if (isTimeError(res) && res.headers.date) {
    clockOffsetSeconds = Math.round((Date.parse(res.headers.date) - Date.now()) / 1000)
    res = await send(method, bucket, key, body)
  }
  if (res.status >= 300) {
    const xml = res.body.toString()
    const message = field('Message', xml)
    throw new Error(method + ' ' + bucket + '/' + key + ' failed: ' + (field('Code', xml) || 'HTTP ' + res.status) + (message ? ' (' + message + ')' : ''))
  }
  return res
}

exports.getObject = async (bucket, key) => (await request('GET', bucket, key)).body
exports.putObject = async (bucket, key, body) => {
  await request('PUT', bucket, key, body)
}
`

export const PYTHON_COS_CLIENT = `# -*- coding: utf8 -*-
# A minimal COS client for this function: GET and PUT of objects on COS_LOCAL_ENDPOINT.
# Requests are signed (q-sign, HMAC-SHA1) with TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY,
# which COS Local sets as SCF does for a function with a role. In the cloud, use the official
# SDK instead (cos-python-sdk-v5, with Token=os.environ["TENCENTCLOUD_SESSIONTOKEN"]).
import email.utils
import hashlib
import hmac
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request

_clock_offset_seconds = 0  # how far the server's clock is ahead of ours


def _hmac(key, text):
    return hmac.new(key.encode("utf-8"), text.encode("utf-8"), hashlib.sha1).hexdigest()


def _authorization(method, pathname):
    secret_id = os.environ.get("TENCENTCLOUD_SECRETID")
    secret_key = os.environ.get("TENCENTCLOUD_SECRETKEY")
    if not secret_id or not secret_key:
        return None
    now = int(time.time()) + _clock_offset_seconds
    key_time = "%d;%d" % (now - 60, now + 900)
    http_string = method.lower() + "\\n" + pathname + "\\n\\n\\n"
    string_to_sign = "sha1\\n" + key_time + "\\n" + hashlib.sha1(http_string.encode("utf-8")).hexdigest() + "\\n"
    signature = _hmac(_hmac(secret_key, key_time), string_to_sign)
    return "&".join([
        "q-sign-algorithm=sha1",
        "q-ak=" + secret_id,
        "q-sign-time=" + key_time,
        "q-key-time=" + key_time,
        "q-header-list=",
        "q-url-param-list=",
        "q-signature=" + signature,
    ])


def _send(method, bucket, key, body):
    endpoint = os.environ.get("COS_LOCAL_ENDPOINT")
    if not endpoint:
        raise RuntimeError("COS_LOCAL_ENDPOINT is not set")
    url = endpoint + "/" + bucket + "/" + urllib.parse.quote(key, safe="/")
    request = urllib.request.Request(url, data=body, method=method)
    auth = _authorization(method, "/" + bucket + "/" + key)
    if auth:
        request.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _field(name, text):
    found = re.search("<" + name + ">([^<]*)</" + name + ">", text)
    return found.group(1) if found else ""


def _request(method, bucket, key, body=None):
    global _clock_offset_seconds
    status, headers, data = _send(method, bucket, key, body)
    text = data.decode("utf-8", "replace")
    code, message = _field("Code", text), _field("Message", text)
    time_error = code == "RequestTimeTooSkewed" or (code == "AccessDenied" and message == "Request has expired")
    if status == 403 and time_error and headers.get("Date"):
        server_time = email.utils.parsedate_to_datetime(headers["Date"]).timestamp()
        _clock_offset_seconds = int(round(server_time - time.time()))
        status, headers, data = _send(method, bucket, key, body)
    if status >= 300:
        text = data.decode("utf-8", "replace")
        raise RuntimeError("%s %s/%s failed: %s (%s)" % (method, bucket, key, _field("Code", text) or status, _field("Message", text)))
    return data


def get_object(bucket, key):
    return _request("GET", bucket, key)


def put_object(bucket, key, body):
    _request("PUT", bucket, key, body)
`
