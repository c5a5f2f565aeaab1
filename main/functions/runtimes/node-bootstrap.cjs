'use strict'
/**
 * Runs inside a forked Node.js process, one per warm function instance. Talks to COS Local
 * over the IPC channel only (never over stdout/stderr, which belong to the user):
 *
 *   parent → child  { type: 'invoke', id, event, context?, timeoutMs }
 *                   (without context: the last one received; request_id is always id)
 *                   { type: 'invokes', invocations: [invoke, …] }   several, run in order
 *                   (they may arrive while another runs: each starts as soon as the one before
 *                   returned, or, when that one started processes, once COS Local has swept them:)
 *                   { type: 'continue' }
 *                   { type: 'setup', env, cwd }   first, to a spare runtime only (see the end)
 *   child → parent  { type: 'hello', rss }
 *                   { type: 'logs', id, texts }           console calls / output lines, batched
 *                   { type: 'log', id, text, truncated: true } the log-limit notice
 *                   { type: 'result', id, ok, valueJson | error, rss, dropped, spawned, ms }
 *                   (dropped: output lines past the log limit, not sent; spawned: processes
 *                   started through child_process since the previous result; ms: the
 *                   handler's own wall time, from its call to its result)
 *
 * Environment: SCF_CODE_DIR (the function's folder), SCF_HANDLER (file.method),
 * SCF_LOG_LIMIT (bytes of log text per invocation before truncation).
 */
const fs = require('node:fs')
const path = require('node:path')
const util = require('node:util')
const { pathToFileURL } = require('node:url')

// Read at start, or, in a spare runtime, once its function's settings arrive (see the end).
let codeDir
let handlerSpec
let logLimit
function configure() {
  codeDir = process.env.SCF_CODE_DIR || process.cwd()
  handlerSpec = process.env.SCF_HANDLER || 'index.main_handler'
  logLimit = Number(process.env.SCF_LOG_LIMIT) || 1024 * 1024
}

let current = null // { id, logBytes, truncated, dropped }
let handlerFn = null

// Processes the function starts through child_process (every async way goes through
// ChildProcess#spawn; the sync ones are wrapped, for ESM imports too). COS Local sweeps the
// instance's process tree after an invocation only when this moved (and once a second anyway).
let spawned = 0
{
  const childProcess = require('node:child_process')
  const spawnAsync = childProcess.ChildProcess.prototype.spawn
  childProcess.ChildProcess.prototype.spawn = function (...args) {
    spawned++
    return spawnAsync.apply(this, args)
  }
  for (const name of ['spawnSync', 'execSync', 'execFileSync']) {
    const original = childProcess[name]
    childProcess[name] = function (...args) {
      spawned++
      return original.apply(this, args)
    }
  }
  require('node:module').syncBuiltinESMExports()
}

function send(message, done) {
  if (!process.connected) return
  try {
    process.send(message, done)
  } catch {
    // the parent is gone
  }
}

// Log entries go out in batches (one IPC message per few ms or 64 KiB), not one per line.
let pending = []
let pendingId = null
let pendingBytes = 0
let flushTimer = null

function flushLogs() {
  if (flushTimer) clearTimeout(flushTimer)
  flushTimer = null
  if (pending.length === 0) return
  send({ type: 'logs', id: pendingId, texts: pending })
  pending = []
  pendingBytes = 0
}

function queueLog(id, text) {
  if (pending.length > 0 && pendingId !== id) flushLogs()
  pendingId = id
  pending.push(text)
  pendingBytes += text.length
  if (pendingBytes >= 64 * 1024) flushLogs()
  else if (!flushTimer) flushTimer = setTimeout(flushLogs, 4)
}

function emitLog(text) {
  const id = current ? current.id : null
  if (current) {
    if (current.truncated) {
      current.dropped++
      return
    }
    current.logBytes += Buffer.byteLength(text) + 1
    if (current.logBytes > logLimit) {
      current.truncated = true
      current.dropped++
      flushLogs()
      send({
        type: 'log',
        id,
        truncated: true,
        text: `[cos-local] log output over ${logLimit} bytes; the rest of this invocation's output is dropped`
      })
      return
    }
  }
  queueLog(id, text)
}

// console.* → one log entry per call (multi-line objects stay together).
for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
  console[level] = (...args) => emitLog(util.format(...args))
}

// Raw writes to stdout/stderr → one log entry per complete line.
const partial = { stdout: '', stderr: '' }
for (const name of ['stdout', 'stderr']) {
  process[name].write = (chunk, encoding, callback) => {
    const text =
      typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8')
    const lines = (partial[name] + text).split('\n')
    partial[name] = lines.pop()
    for (const line of lines) emitLog(line)
    const cb = typeof encoding === 'function' ? encoding : callback
    if (typeof cb === 'function') process.nextTick(cb)
    return true
  }
}

function flushPartial() {
  for (const name of ['stdout', 'stderr']) {
    if (partial[name]) emitLog(partial[name])
    partial[name] = ''
  }
}

async function loadHandler() {
  if (handlerFn) return handlerFn
  const dot = handlerSpec.lastIndexOf('.')
  const file = handlerSpec.slice(0, dot)
  const method = handlerSpec.slice(dot + 1)
  const base = path.join(codeDir, file)
  let mod
  const candidates = [base + '.js', base + '.cjs', base + '.mjs', base]
  const found = candidates.find((candidate) => {
    try {
      return fs.statSync(candidate).isFile()
    } catch {
      return false
    }
  })
  if (!found)
    throw new Error(`Cannot find module '${file}' (looked for ${file}.js, .cjs, .mjs in the function's folder)`)
  if (found.endsWith('.mjs')) {
    mod = await import(pathToFileURL(found).href)
  } else {
    try {
      mod = require(found)
    } catch (error) {
      if (error && (error.code === 'ERR_REQUIRE_ESM' || error.code === 'ERR_REQUIRE_ASYNC_MODULE')) {
        mod = await import(pathToFileURL(found).href)
      } else throw error
    }
  }
  const fn = mod && (mod[method] || (mod.default && mod.default[method]))
  if (typeof fn !== 'function')
    throw new Error(`Handler '${method}' is missing on module '${file}' (handler ${handlerSpec})`)
  handlerFn = fn
  return fn
}

// The SCF context of the last invoke that carried one (COS Local sends it only when it changes).
let contextBase = {}

// callbackWaitsForEmptyEventLoop is an accessor (it coerces to a boolean), shared by every
// context: an object literal with its own getter and setter closures (and the spread after
// them) was built in dictionary mode, ≈ 3 µs per invocation and slow property reads after.
const waitsFlag = Symbol('callbackWaitsForEmptyEventLoop')
const waitsAccessor = {
  get() {
    return this[waitsFlag] !== false
  },
  set(value) {
    this[waitsFlag] = Boolean(value)
  },
  enumerable: true,
  configurable: true
}

function makeContext(base, deadline, requestId) {
  const context = {}
  Object.defineProperty(context, 'callbackWaitsForEmptyEventLoop', waitsAccessor)
  context.getRemainingTimeInMillis = () => Math.max(0, deadline - Date.now())
  for (const key in base) context[key] = base[key]
  context.request_id = requestId
  return context
}

function callHandler(fn, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false
    const settle = (error, value) => {
      if (settled) return
      settled = true
      if (error !== undefined && error !== null) reject(error)
      else resolve(value)
    }
    let returned
    try {
      returned = fn(event, context, (error, data) => settle(error, data))
    } catch (error) {
      settle(error === undefined || error === null ? new Error(String(error)) : error)
      return
    }
    if (returned && typeof returned.then === 'function') {
      returned.then(
        (value) => settle(null, value),
        (error) =>
          settle(error === undefined || error === null ? new Error('Promise rejected with ' + String(error)) : error)
      )
    } else if (returned !== undefined) {
      settle(null, returned)
    } else if (fn.length < 3) {
      settle(null, undefined)
    }
    // otherwise: a callback-style handler; wait for callback(err, data)
  })
}

function describeError(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, stackTrace: error.stack || '' }
  }
  return { errorType: 'Error', errorMessage: typeof error === 'string' ? error : util.inspect(error), stackTrace: '' }
}

function encodeValue(value) {
  if (value === undefined) return undefined
  try {
    return JSON.stringify(value)
  } catch {
    return JSON.stringify(String(value))
  }
}

async function invoke(message) {
  current = { id: message.id, logBytes: 0, truncated: false, dropped: 0 }
  if (message.context) contextBase = message.context
  const deadline = Date.now() + message.timeoutMs
  let reply
  let startedAt = 0
  try {
    const fn = handlerFn ?? (await loadHandler())
    startedAt = performance.now()
    const value = await callHandler(fn, message.event, makeContext(contextBase, deadline, message.id))
    reply = { type: 'result', id: message.id, ok: true, valueJson: encodeValue(value) }
  } catch (error) {
    reply = { type: 'result', id: message.id, ok: false, error: describeError(error) }
  }
  flushPartial()
  flushLogs()
  reply.dropped = current.dropped
  if (startedAt > 0) reply.ms = performance.now() - startedAt
  current = null
  reply.rss = recentResidentBytes()
  reply.spawned = spawned
  holding = spawned > 0
  spawned = 0
  send(reply)
  running = false
  next()
}

// Invocations run one at a time, in the order they arrive.
const waiting = []
let running = false
let holding = false

function next() {
  if (running || holding || waiting.length === 0) return
  running = true
  void invoke(waiting.shift())
}

// Resident memory from /proc/self/statm, re-read through one open file (a pread, not the
// open/read/close of process.memoryUsage.rss() on every invocation); its second field, in pages.
const statm = { fd: undefined, buffer: Buffer.alloc(128), pageSize: 0 }
function residentPages() {
  if (statm.fd === undefined) statm.fd = fs.openSync('/proc/self/statm', 'r')
  const buffer = statm.buffer
  const length = fs.readSync(statm.fd, buffer, 0, buffer.length, 0)
  let at = buffer.indexOf(32) + 1
  if (at === 0) return 0
  let pages = 0
  for (; at < length; at++) {
    const digit = buffer[at] - 48
    if (digit < 0 || digit > 9) break
    pages = pages * 10 + digit
  }
  return pages
}
// An invocation that ends within 1 ms of the last reading reports that reading: resident memory
// grows by at most a few MB in that time (pages must be touched), and in a backlog, invocations
// ending ≈ 0.1 ms apart, the read (a system call) was ≈ 6 µs of ≈ 43 per invocation.
const rssCache = { at: -Infinity, bytes: 0 }
function recentResidentBytes() {
  const now = performance.now()
  if (now - rssCache.at >= 1) {
    rssCache.bytes = residentBytes()
    rssCache.at = now
  }
  return rssCache.bytes
}

function residentBytes() {
  if (process.platform === 'linux') {
    try {
      if (statm.pageSize === 0) {
        // the page size, from one reading of both (a power of two)
        const rss = process.memoryUsage.rss()
        statm.pageSize = 2 ** Math.round(Math.log2(rss / residentPages()))
        return rss
      }
      const pages = residentPages()
      if (pages > 0) return pages * statm.pageSize
    } catch {
      // fall back below
    }
  }
  return process.memoryUsage.rss()
}

function fatal(error) {
  flushPartial()
  flushLogs()
  if (current) {
    const id = current.id
    const dropped = current.dropped
    current = null
    send(
      {
        type: 'result',
        id,
        ok: false,
        error: describeError(error),
        rss: process.memoryUsage.rss(),
        fatal: true,
        dropped
      },
      () => process.exit(1)
    )
    setTimeout(() => process.exit(1), 500).unref()
  } else {
    emitLog(`Uncaught ${util.inspect(error)}`)
    setTimeout(() => process.exit(1), 100).unref()
  }
}

process.on('exit', () => flushLogs()) // process.exit() in user code: its last lines still go out
process.on('uncaughtException', fatal)
process.on('unhandledRejection', fatal)
process.on('disconnect', () => process.exit(0))
process.on('message', (message) => {
  if (!message) return
  if (message.type === 'invoke') {
    waiting.push(message)
    next()
  } else if (message.type === 'invokes') {
    waiting.push(...message.invocations)
    next()
  } else if (message.type === 'continue') {
    holding = false
    next()
  }
})

function start() {
  configure()
  send({ type: 'hello', rss: process.memoryUsage.rss() })
}

// A spare runtime (COS_LOCAL_SPARE=1, started before any function needed it: spare-runtime.ts)
// waits for the function it is given to: { type: 'setup', env, cwd } replaces its whole
// environment and working folder, then it starts as a runtime started for that function would.
if (process.env.COS_LOCAL_SPARE === '1') {
  process.on('message', function setup(message) {
    if (!message || message.type !== 'setup') return
    process.off('message', setup)
    for (const name of Object.keys(process.env)) if (!(name in message.env)) delete process.env[name]
    Object.assign(process.env, message.env)
    process.chdir(message.cwd)
    start()
  })
} else start()
