/**
 * COS errors as the UI shows them: the Code and Message of COS's error XML, plus the request
 * id for bug reports. Bodiless failures (HEAD, network) get a readable message too.
 */
import { childText, parseXml } from './xml.ts'

export class CosRequestError extends Error {
  constructor(
    readonly code: string,
    readonly cosMessage: string,
    readonly status: number,
    readonly requestId = '',
    readonly resource = ''
  ) {
    super(cosMessage ? `${code}: ${cosMessage}` : code)
    this.name = 'CosRequestError'
  }
}

/** Codes COS would send for a body-less status (HEAD responses carry no XML). */
const STATUS_CODES: Record<number, string> = {
  400: 'InvalidRequest',
  403: 'AccessDenied',
  404: 'NoSuchKey',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  412: 'PreconditionFailed',
  416: 'InvalidRange',
  500: 'InternalError',
  503: 'ServiceUnavailable'
}

/** Builds the error from a failed response's status, headers and body text. */
export function cosErrorFrom(status: number, body: string, requestId = ''): CosRequestError {
  const root = parseXml(body)?.documentElement
  if (root?.localName === 'Error') {
    return new CosRequestError(
      childText(root, 'Code') ?? `Http${status}`,
      childText(root, 'Message') ?? '',
      status,
      childText(root, 'RequestId') ?? requestId,
      childText(root, 'Resource') ?? ''
    )
  }
  const code = STATUS_CODES[status] ?? `Http${status}`
  return new CosRequestError(code, body.trim().slice(0, 300) || `HTTP ${status}`, status, requestId)
}

/** A network failure (server down, CORS refused) as a CosRequestError. */
export function networkError(endpoint: string, cause: unknown): CosRequestError {
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new CosRequestError('NetworkError', `Cannot reach the COS endpoint ${endpoint} (${detail})`, 0)
}

/** A readable one-line message for any thrown value: `Code: message` when it has a code. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && code && !error.message.startsWith(code)) return `${code}: ${error.message}`
  return error.message
}
