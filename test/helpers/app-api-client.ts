/** Calls a running app's HTTP app API with its token; a non-2xx answer throws with the API's code and message. */
import type { App } from '../../main/app.ts'
import { createApiClient, type ApiClient } from '../../preload/contract/client.ts'
import { routes } from '../../preload/contract/routes.ts'

export type AppApiCall = <T>(method: string, path: string, body?: unknown) => Promise<T>

export function appApiClient(app: () => App): AppApiCall {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const { appApiUrl, token } = app()
    const response = await fetch(appApiUrl + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const payload = (await response.json()) as T & { error?: { code: string; message: string } }
    if (!response.ok) throw new Error(`${response.status} ${payload.error?.code}: ${payload.error?.message}`)
    return payload
  }
}

/** The contract's typed client for a running app, checking every answer against its response schema. */
export function typedAppClient(app: () => App): ApiClient {
  let client: ApiClient | undefined
  let forApp: App | undefined
  return new Proxy({} as ApiClient, {
    get(_, property) {
      if (forApp !== app()) {
        forApp = app()
        client = createApiClient({ baseUrl: forApp.appApiUrl, token: forApp.token, routes, validateResponses: true })
      }
      return client![property as keyof ApiClient]
    }
  })
}
