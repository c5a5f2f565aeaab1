/**
 * Allocation sampling of another Node process through its inspector (started with
 * `--inspect=127.0.0.1:0`): V8's sampling heap profiler with the objects that minor and major
 * collections freed kept in the profile, so it shows what a phase allocated (not only what was
 * still alive at its end, as `--heap-prof` does). Summarised as bytes by allocating function.
 */
import WebSocket from 'ws'

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children: SamplingNode[]
}

export interface HeapSampler {
  start(): Promise<void>
  /** Bytes by allocating function (name, file and line), largest first. */
  stop(): Promise<{ total: number; top: [string, number][] }>
  close(): void
}

/** Connects to the inspector whose URL the process printed on stderr ("Debugger listening on ws://…"). */
export async function heapSampler(stderr: () => string): Promise<HeapSampler> {
  let url: string | undefined
  for (let i = 0; i < 100 && !url; i++) {
    url = /ws:\/\/\S+/.exec(stderr())?.[0]
    if (!url) await new Promise((resolve) => setTimeout(resolve, 50))
  }
  if (!url) throw new Error('no inspector URL on the server stderr (start it with --inspect=127.0.0.1:0)')
  const socket = new WebSocket(url)
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  let id = 0
  const pending = new Map<number, (result: unknown) => void>()
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: unknown }
    if (message.id !== undefined) pending.get(message.id)?.(message.result)
  })
  const call = (method: string, params: object = {}): Promise<unknown> =>
    new Promise((resolve) => {
      pending.set(++id, resolve)
      socket.send(JSON.stringify({ id, method, params }))
    })
  return {
    async start() {
      await call('HeapProfiler.enable')
      await call('HeapProfiler.startSampling', {
        samplingInterval: 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true
      })
    },
    async stop() {
      const { profile } = (await call('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } }
      const bytes = new Map<string, number>()
      let total = 0
      const name = (node: SamplingNode): string => {
        const { functionName, url, lineNumber } = node.callFrame
        return `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`
      }
      const walk = (node: SamplingNode, caller = ''): void => {
        if (node.selfSize > 0) {
          // a builtin (no file: `next`, `push`, `Map`) is named with the function that called it
          const key = node.callFrame.url === '' && caller ? `${name(node)} ← ${caller}` : name(node)
          bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize)
          total += node.selfSize
        }
        for (const child of node.children) walk(child, node.callFrame.url === '' ? caller : name(node))
      }
      walk(profile.head)
      return { total, top: [...bytes].sort((a, b) => b[1] - a[1]) }
    },
    close() {
      socket.close()
    }
  }
}
