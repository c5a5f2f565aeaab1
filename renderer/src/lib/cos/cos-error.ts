/**
 * COS errors as the UI shows them: the Code and Message of COS's error XML, plus the request
 * id for bug reports. The SDK's error objects (cos-js-sdk-v5) are mapped here; bodiless
 * failures (HEAD, network, CORS) get a readable message too.
 */

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

interface SdkErrorShape {
  code?: unknown
  message?: unknown
  statusCode?: unknown
  RequestId?: unknown
  headers?: Record<string, unknown>
  error?: unknown
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
}

/**
 * Maps whatever cos-js-sdk-v5 rejects with to a CosRequestError: a COS error body
 * (`error: { Code, Message, RequestId, Resource }`), a status-only failure, a network or
 * CORS failure, or a parameter error thrown by the SDK itself.
 */
export function fromSdkError(raw: unknown, endpoint = ''): CosRequestError {
  if (raw instanceof CosRequestError) return raw
  if (raw instanceof Error && !('statusCode' in raw) && !('error' in raw)) {
    return new CosRequestError('ClientError', raw.message, 0)
  }
  const err = (raw ?? {}) as SdkErrorShape
  const status = Number(err.statusCode ?? 0) || 0
  const body = (typeof err.error === 'object' && err.error !== null ? err.error : {}) as Record<string, unknown>
  const headerId = text(err.headers?.['x-cos-request-id'])
  const requestId = text(body.RequestId) || text(err.RequestId) || headerId
  const sdkCode = text(err.code)
  const code = text(body.Code) || (/^[A-Z][A-Za-z]+$/.test(sdkCode) && sdkCode !== 'Error' ? sdkCode : '')
  const message = text(body.Message) || text(err.message) || (typeof err.error === 'string' ? err.error : '')
  if (code) return new CosRequestError(code, message, status, requestId, text(body.Resource))
  if (!status && !/network|CORS|timeout/i.test(message)) {
    // Refused by the SDK before sending (a malformed bucket name, a missing parameter).
    return new CosRequestError('ClientError', message || 'The request was not sent', 0)
  }
  if (status === 0 || /network|CORS/i.test(message)) {
    const where = endpoint ? ` ${endpoint}` : ''
    return new CosRequestError(
      'NetworkError',
      `Cannot reach the COS endpoint${where} (${message || 'network error'})`,
      0
    )
  }
  return new CosRequestError(STATUS_CODES[status] ?? `Http${status}`, message || `HTTP ${status}`, status, requestId)
}

/** A readable one-line message for any thrown value: `Code: message` when it has a code. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) {
    if (error && typeof error === 'object' && ('statusCode' in error || 'error' in error)) {
      return fromSdkError(error).message
    }
    return String(error)
  }
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && code && !error.message.startsWith(code)) return `${code}: ${error.message}`
  return error.message
}
