/**
 * The only module that talks to the core's app API. The URL token comes from the page URL
 * (headless: `?token=`) or from the desktop shell's preload bridge.
 */
import type { AppInfo } from '../../../preload/contract/info.ts'

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

export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const { apiUrl, token } = connection()
  const response = await fetch(apiUrl + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const payload = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } }
  if (!response.ok) {
    throw new ApiFailure(payload.error?.code ?? 'HttpError', payload.error?.message ?? response.statusText)
  }
  return payload as T
}

export const api = {
  info: () => request<AppInfo>('GET', '/api/info')
}
