/**
 * The listing fast path. Listing pages of 1000 keys are the UI's hot path (a folder of 100k
 * objects is 100 of them), and the SDK parses XML in JavaScript on the main thread (measured:
 * 0.2–1.6 s per 1000-key page on this machine), so GET Bucket (and ?versions) is signed by the
 * SDK (`getAuth`, with its clock offset) and sent with fetch, and the browser's native XML parser
 * reads the answer. Errors keep COS's Code, Message and RequestId.
 */
import { CosRequestError } from './cos-error.ts'

export interface XmlListingRequest {
  url: string
  /** Authorization (and x-cos-security-token for temporary keys). */
  headers: Record<string, string>
}

function text(parent: Element, name: string): string {
  for (const child of parent.children) if (child.localName === name) return child.textContent ?? ''
  return ''
}

export function childElements(parent: Element, name: string): Element[] {
  const out: Element[] = []
  for (const child of parent.children) if (child.localName === name) out.push(child)
  return out
}

export { text as childText }

/** GETs the listing; resolves with its root element, or throws COS's error. */
export async function fetchListing(request: XmlListingRequest, endpoint: string): Promise<Element> {
  let response: Response
  try {
    response = await fetch(request.url, { headers: request.headers })
  } catch (error) {
    throw new CosRequestError(
      'NetworkError',
      `Cannot reach the COS endpoint ${endpoint} (${(error as Error).message})`,
      0
    )
  }
  const body = await response.text()
  const root = new DOMParser().parseFromString(body, 'application/xml').documentElement
  if (!response.ok || root.localName === 'Error') {
    const requestId = text(root, 'RequestId') || response.headers.get('x-cos-request-id') || ''
    const error = new CosRequestError(
      text(root, 'Code') || `Http${response.status}`,
      text(root, 'Message') || response.statusText,
      response.status,
      requestId,
      text(root, 'Resource')
    )
    ;(error as CosRequestError & { serverDate?: string }).serverDate = response.headers.get('date') ?? ''
    throw error
  }
  return root
}
