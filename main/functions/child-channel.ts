/**
 * The protocol channel between COS Local and a function's process, kept apart from the
 * user's stdout/stderr: Node's IPC channel for Node functions, newline-delimited JSON
 * over fd 3 (to the child) and fd 4 (from the child) for Python.
 */
import type { ChildProcess } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'

export type ChildMessage =
  | { type: 'hello'; rss: number }
  | { type: 'log'; id: string | null; text: string; truncated?: boolean }
  | { type: 'logs'; id: string | null; texts: string[] }
  | {
      type: 'result'
      id: string
      ok: boolean
      valueJson?: string | null
      error?: { errorType: string; errorMessage: string; stackTrace: string }
      rss?: number
      fatal?: boolean
      /** Output lines past the log limit that the runtime dropped instead of sending. */
      dropped?: number
      /** Processes the runtime started since its previous result (absent: it does not count). */
      spawned?: number
      /** The handler's own wall time, ms (absent when it never ran: the module did not load). */
      ms?: number
    }

export interface InvokeMessage {
  type: 'invoke'
  id: string
  event: unknown
  /** Absent (Node runtime only): the context of the previous invocation, with this one's request_id. */
  context?: Record<string, unknown>
  timeoutMs: number
}

/** Several invocations for a Node runtime in one message (it runs them in order, one at a time). */
export interface InvokeBatchMessage {
  type: 'invokes'
  invocations: InvokeMessage[]
}

export interface ChildChannel {
  /** Invocations in order; the channel sends them in as few writes as it can. */
  send(messages: InvokeMessage[]): void
  /** Let the runtime start its next invocation (it holds it after one that started processes). */
  resume(): void
  onMessage(listener: (message: ChildMessage) => void): void
}

export function ipcChannel(child: ChildProcess): ChildChannel {
  return {
    send(messages) {
      if (!child.connected) return
      if (messages.length === 1) child.send(messages[0]!)
      else child.send({ type: 'invokes', invocations: messages } satisfies InvokeBatchMessage)
    },
    resume() {
      if (child.connected) child.send({ type: 'continue' })
    },
    onMessage(listener) {
      child.on('message', (message) => listener(message as ChildMessage))
    }
  }
}

export function pipeChannel(child: ChildProcess): ChildChannel {
  const toChild = child.stdio[3] as Writable
  const fromChild = child.stdio[4] as Readable
  toChild.on('error', () => {})
  fromChild.on('error', () => {})
  const listeners: ((message: ChildMessage) => void)[] = []
  let buffer = ''
  fromChild.setEncoding('utf8')
  fromChild.on('data', (chunk: string) => {
    buffer += chunk
    let newline = buffer.indexOf('\n')
    while (newline >= 0) {
      const line = buffer.slice(0, newline)
      buffer = buffer.slice(newline + 1)
      newline = buffer.indexOf('\n')
      if (!line.trim()) continue
      let message: ChildMessage
      try {
        message = JSON.parse(line) as ChildMessage
      } catch {
        continue
      }
      for (const listener of listeners) listener(message)
    }
  })
  return {
    send(messages) {
      if (!toChild.destroyed) toChild.write(messages.map((message) => JSON.stringify(message) + '\n').join(''))
    },
    resume() {
      // the Python runtime takes no queued invocations, so it never holds one
    },
    onMessage(listener) {
      listeners.push(listener)
    }
  }
}
