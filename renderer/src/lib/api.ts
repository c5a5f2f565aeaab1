/**
 * The only module that talks to the core's app API (HTTP JSON + the push WebSocket). The token
 * comes from the page URL (headless: `?token=`) or from the desktop shell's preload bridge.
 */
import type { AppInfo } from '../../../preload/contract/info.ts'
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

export const api = {
  info: () => request<AppInfo>('GET', '/api/info')
}
