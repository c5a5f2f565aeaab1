/**
 * The only module that talks to the core's app API (HTTP JSON + the push WebSocket), through the
 * contract's typed client (preload/contract/client.ts). The token comes from the page URL
 * (headless: `?token=`) or from the desktop shell's preload bridge.
 */
import { AppApiError, createApiClient, type ApiClient } from '../../../preload/contract/client.ts'
import type {
  CreateFunctionRequest,
  InvokeFunctionRequest,
  UpdateFunctionRequest
} from '../../../preload/contract/functions.ts'
import type { HistoryQuery, SetFaultRequest } from '../../../preload/contract/history.ts'
import type { InvocationStatus } from '../../../preload/contract/invocations.ts'
import type { PushMessage } from '../../../preload/contract/push.ts'
import type { CreateTriggerRequest, UpdateTriggerRequest } from '../../../preload/contract/triggers.ts'

interface Bridge {
  apiUrl: string
  token: string
}

declare global {
  interface Window {
    cosLocal?: Bridge
  }
}

function connection(): Bridge {
  if (window.cosLocal) return window.cosLocal
  const token = new URLSearchParams(location.search).get('token') ?? ''
  return { apiUrl: location.origin, token }
}

/** An app-API error: `{ error: { code, message } }` with COS codes kept (code NetworkError, status 0, when unreachable). */
export { AppApiError as ApiFailure }

let shared: ApiClient | undefined

/** The typed app-API client (`client().call('functions.list')`, `client().triggers.get(…)`). */
export function client(): ApiClient {
  shared ??= (() => {
    const { apiUrl, token } = connection()
    return createApiClient({ baseUrl: apiUrl, token })
  })()
  return shared
}

/** Opens the push channel; each frame is a JSON array (a batch) of PushMessage. */
export function openPushSocket(onBatch: (messages: PushMessage[]) => void): WebSocket {
  const socket = new WebSocket(client().pushUrl())
  socket.onmessage = (event) => {
    let parsed: unknown
    try {
      parsed = JSON.parse(String(event.data))
    } catch {
      return
    }
    onBatch((Array.isArray(parsed) ? parsed : [parsed]) as PushMessage[])
  }
  return socket
}

/** Leaves out empty filters (an empty text field means "any"). */
function given(value: string | undefined): string | undefined {
  return value ? value : undefined
}

/** The calls the views make, by the names they have always used. */
export const api = {
  info: () => client().info.get(),

  functions: () => client().functions.list(),
  functionTemplates: () => client().functions.templates(),
  createFunction: (body: CreateFunctionRequest) => client().functions.create({ body }),
  deleteFunction: (name: string) => client().functions.remove({ params: { name } }),
  invoke: (name: string, body: InvokeFunctionRequest) => client().functions.invoke({ params: { name }, body }),
  invocations: (functionName: string) =>
    client().invocations.list({ query: { function: given(functionName), limit: 20 } }),

  testTemplates: () => client().testTemplates.list(),
  testTemplate: (event: string, options: { bucket?: string; key?: string; function?: string }) =>
    client().testTemplates.get({
      params: { event },
      query: { bucket: given(options.bucket), key: given(options.key), function: given(options.function) }
    }),

  triggers: (functionName?: string) => client().triggers.list({ query: { function: given(functionName) } }),
  createTrigger: (body: CreateTriggerRequest) => client().triggers.create({ body }),
  updateTrigger: (id: string, body: UpdateTriggerRequest) => client().triggers.update({ params: { id }, body }),
  deleteTrigger: (id: string) => client().triggers.remove({ params: { id } }),

  functionStatus: () => client().functions.status(),
  updateFunction: (name: string, body: UpdateFunctionRequest) => client().functions.update({ params: { name }, body }),
  invocationList: (query: { function?: string; status?: InvocationStatus; limit?: number }) =>
    client().invocations.list({ query: { ...query, function: given(query.function) } }),

  history: (query: HistoryQuery) => client().history.list({ query }),
  eventDetail: (seq: number) => client().history.get({ params: { seq: String(seq) } }),
  replay: (seq: number, functionName?: string) =>
    client().history.replay({ params: { seq: String(seq) }, body: functionName ? { function: functionName } : {} }),
  timeline: (query: { bucket?: string; key?: string; requestId?: string }) => client().history.timeline({ query }),
  deadLetters: () => client().invocations.deadLetters(),
  redrive: (requestId: string) => client().invocations.redrive({ params: { requestId } }),
  logTail: (query: { function?: string; requestId?: string; tail: number }) => client().logs.list({ query }),
  faults: () => client().faults.list(),
  setFault: (functionName: string, body: SetFaultRequest) =>
    client().faults.set({ params: { function: functionName }, body }),
  clearFault: (functionName: string) => client().faults.clear({ params: { function: functionName } }),
  bus: () => client().bus.get(),
  setBus: (paused: boolean) => client().bus.set({ body: { paused } }),

  explain: (bucket: string, key: string) => client().triggers.explain({ query: { bucket, key } }),
  recentEvents: (bucket?: string) => client().events.recent({ query: { bucket: given(bucket), limit: 50 } })
}
