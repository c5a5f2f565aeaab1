/**
 * Built-in function templates: the code a new function starts from, for the COS-trigger
 * use cases SCF documents, each in Node.js and Python 3 — print the event, a thumbnail-style
 * derived object, auto-unzip an uploaded archive into another prefix, and calling your own
 * HTTP service with the object's details. The code itself lives in `templates/`.
 */
import type { Runtime } from '../core/functions/function-config.ts'
import { NODE_COS_CLIENT, PYTHON_COS_CLIENT } from './templates/cos-client.ts'
import { NODE_PRINT, PYTHON_PRINT } from './templates/print.ts'
import { NODE_THUMBNAIL, PYTHON_THUMBNAIL } from './templates/thumbnail.ts'
import { NODE_UNZIP, PYTHON_UNZIP } from './templates/unzip.ts'
import { NODE_WEBHOOK, PYTHON_WEBHOOK } from './templates/webhook.ts'

export interface FunctionTemplate {
  id: string
  runtime: Runtime
  description: string
  files: Record<string, string>
}

/** `usesCos`: the template ships the small signed COS client (templates/cos-client.ts) beside it. */
const node = (id: string, description: string, code: string, usesCos = false): FunctionTemplate => ({
  id: `nodejs-${id}`,
  runtime: 'nodejs',
  description: `Node.js: ${description}`,
  files: { 'index.js': code, ...(usesCos && { 'cos.js': NODE_COS_CLIENT }) }
})
const python = (id: string, description: string, code: string, usesCos = false): FunctionTemplate => ({
  id: `python-${id}`,
  runtime: 'python3',
  description: `Python 3: ${description}`,
  files: { 'index.py': code, ...(usesCos && { 'cos_client.py': PYTHON_COS_CLIENT }) }
})

const PRINT = 'print the COS event'
const THUMBNAIL = 'thumbnail-style: read each upload and write thumbnails/<key>.txt (a text summary, no image resizing)'
const UNZIP = 'auto-unzip each uploaded .zip into unzipped/<name>/ (trigger with suffix .zip)'
const WEBHOOK = "call your own HTTP service: POST each object's details as JSON to $WEBHOOK_URL"

export const FUNCTION_TEMPLATES: readonly FunctionTemplate[] = [
  node('print-event', PRINT, NODE_PRINT),
  python('print-event', PRINT, PYTHON_PRINT),
  node('thumbnail', THUMBNAIL, NODE_THUMBNAIL, true),
  python('thumbnail', THUMBNAIL, PYTHON_THUMBNAIL, true),
  node('unzip', UNZIP, NODE_UNZIP, true),
  python('unzip', UNZIP, PYTHON_UNZIP, true),
  node('webhook', WEBHOOK, NODE_WEBHOOK),
  python('webhook', WEBHOOK, PYTHON_WEBHOOK)
]

export function findTemplate(id: string): FunctionTemplate | undefined {
  return FUNCTION_TEMPLATES.find((template) => template.id === id)
}
