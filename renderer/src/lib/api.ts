/**
 * The only module that talks to the core's app API (HTTP JSON + the push WebSocket). The token
 * comes from the page URL (headless: `?token=`) or from the desktop shell's preload bridge.
 */
import type {
  CreateFunctionRequest,
  FunctionInfo,
  FunctionListResponse,
  FunctionTemplateList,
  InvokeFunctionRequest,
  InvokeFunctionResponse
} from '../../../preload/contract/functions.ts'
import type { AppInfo } from '../../../preload/contract/info.ts'
import type { InvocationListResponse, TestTemplateList } from '../../../preload/contract/invocations.ts'
import type {
  CreateTriggerRequest,
  ExplainResponse,
  RecentEventsResponse,
  Trigger,
  TriggerListResponse,
  UpdateTriggerRequest
} from '../../../preload/contract/triggers.ts'
import type { PushMessage } from '../../../preload/contract/push.ts'

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

/** An app-API error: `{ error: { code, message } }` with COS codes kept. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0
  ) {
    super(message)
    this.name = 'ApiFailure'
  }
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const { apiUrl, token } = connection()
  let response: Response
  try {
    response = await fetch(apiUrl + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
  } catch (error) {
    throw new ApiFailure('NetworkError', `The COS Local core is not reachable (${(error as Error).message})`)
  }
  const payload = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } }
  if (!response.ok) {
    throw new ApiFailure(
      payload.error?.code ?? 'HttpError',
      payload.error?.message ?? `HTTP ${response.status} ${response.statusText}`,
      response.status
    )
  }
  return payload as T
}

/** Opens the push channel; each frame is a JSON array (a batch) of PushMessage. */
export function openPushSocket(onBatch: (messages: PushMessage[]) => void): WebSocket {
  const { apiUrl, token } = connection()
  const url = new URL('/api/push', apiUrl)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  url.searchParams.set('token', token)
  const socket = new WebSocket(url)
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

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value)
  const text = search.toString()
  return text ? `?${text}` : ''
}

const path = encodeURIComponent

export const api = {
  info: () => request<AppInfo>('GET', '/api/info'),

  functions: () => request<FunctionListResponse>('GET', '/api/functions'),
  functionTemplates: () => request<FunctionTemplateList>('GET', '/api/function-templates'),
  createFunction: (body: CreateFunctionRequest) => request<FunctionInfo>('POST', '/api/functions', body),
  deleteFunction: (name: string) => request<unknown>('DELETE', `/api/functions/${path(name)}`),
  invoke: (name: string, body: InvokeFunctionRequest) =>
    request<InvokeFunctionResponse>('POST', `/api/functions/${path(name)}/invoke`, body),
  invocations: (functionName: string) =>
    request<InvocationListResponse>('GET', `/api/invocations${query({ function: functionName, limit: '20' })}`),

  testTemplates: () => request<TestTemplateList>('GET', '/api/test-templates'),
  testTemplate: (event: string, options: { bucket?: string; key?: string; function?: string }) =>
    request<unknown>('GET', `/api/test-templates/${path(event)}${query(options)}`),

  triggers: (functionName?: string) =>
    request<TriggerListResponse>('GET', `/api/triggers${query({ function: functionName })}`),
  createTrigger: (body: CreateTriggerRequest) => request<Trigger>('POST', '/api/triggers', body),
  updateTrigger: (id: string, body: UpdateTriggerRequest) =>
    request<Trigger>('PATCH', `/api/triggers/${path(id)}`, body),
  deleteTrigger: (id: string) => request<unknown>('DELETE', `/api/triggers/${path(id)}`),

  explain: (bucket: string, key: string) => request<ExplainResponse>('GET', `/api/explain${query({ bucket, key })}`),
  recentEvents: (bucket?: string) =>
    request<RecentEventsResponse>('GET', `/api/events/recent${query({ bucket, limit: '50' })}`)
}
