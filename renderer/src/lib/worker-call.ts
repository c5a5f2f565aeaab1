/**
 * Request/answer calls to a dedicated worker, matched by id. `call` answers `undefined` when no
 * worker can run here (no Worker, or it failed to start, e.g. under a CSP without worker-src):
 * the caller then does the work itself. A worker that warms up as it starts posts `{ id: 0 }`
 * when it is done (no call has id 0), which makes it `ready`.
 */
export interface WorkerCall<Request, Answer> {
  /** Starts the worker now (it may warm up before the first call). */
  prepare(): void
  /** True once the worker has posted anything (its `{ id: 0 }`, or an answer). */
  readonly ready: boolean
  call(request: Request, transfer?: Transferable[]): Promise<Answer | undefined>
}

export function workerCall<Request extends object, Answer extends { id: number }>(
  start: () => Worker
): WorkerCall<Request, Answer> {
  let worker: Worker | undefined
  let failed = false
  let ready = false
  let nextId = 1
  const waiting = new Map<number, (answer: Answer | undefined) => void>()

  const get = (): Worker | undefined => {
    if (worker || failed || typeof Worker === 'undefined') return worker
    try {
      worker = start()
    } catch {
      failed = true
      return undefined
    }
    worker.onmessage = (event: MessageEvent<Answer>) => {
      ready = true
      const done = waiting.get(event.data.id)
      waiting.delete(event.data.id)
      done?.(event.data)
    }
    worker.onerror = () => {
      failed = true
      worker?.terminate()
      worker = undefined
      for (const done of waiting.values()) done(undefined)
      waiting.clear()
    }
    return worker
  }

  return {
    prepare: () => void get(),
    get ready() {
      return ready && !failed
    },
    call(request, transfer = []) {
      const target = get()
      if (!target) return Promise.resolve(undefined)
      const id = nextId++
      return new Promise((resolve) => {
        waiting.set(id, resolve)
        target.postMessage({ ...request, id }, transfer)
      })
    }
  }
}
