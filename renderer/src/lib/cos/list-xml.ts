/**
 * The listing fast path. Listing pages of 1000 keys are the UI's hot path (a folder of 100k
 * objects is 100 of them), and the SDK parses XML in JavaScript on the main thread (measured:
 * 0.2–1.6 s per 1000-key page on this machine), so GET Bucket (and ?versions) is signed by the
 * SDK (`getAuth`, with its clock offset) and sent with fetch, and the answer is parsed in a
 * worker (list-worker.ts): even the browser's DOMParser took 50 ms a page on a busy machine.
 * Errors (small documents) are read here and keep COS's Code, Message and RequestId.
 */
import { CosRequestError } from './cos-error.ts'
import { parseListing, type ListingKind } from './list-parse.ts'
import type { ListingAnswer, ListingRequest } from './list-worker.ts'
import type { ObjectPage, VersionPage } from './types.ts'
import { workerCall } from '../worker-call.ts'

export interface XmlListingRequest {
  url: string
  /** Authorization (and x-cos-security-token for temporary keys). */
  headers: Record<string, string>
}

function text(parent: Element, name: string): string {
  for (const child of parent.children) if (child.localName === name) return child.textContent ?? ''
  return ''
}

/** GETs the listing; resolves with its XML text, or throws COS's error. */
export async function fetchListing(request: XmlListingRequest, endpoint: string): Promise<string> {
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
  if (response.ok && !/^\s*(<\?xml[^>]*\?>\s*)?<Error[\s>]/.test(body)) return body
  const root = new DOMParser().parseFromString(body, 'application/xml').documentElement
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

const listingWorker = workerCall<Omit<ListingRequest, 'id'>, ListingAnswer>(
  () => new Worker(new URL('./list-worker.ts', import.meta.url), { type: 'module' })
)

/** Starts the listing worker ahead of the first listing (it warms its parser up as it starts): at app start. */
export function prepareListingWorker(): void {
  listingWorker.prepare()
}

const malformed = (message: string): CosRequestError =>
  new CosRequestError('MalformedXML', `Cannot read the listing: ${message}`, 200)

/**
 * Parses a listing's XML in the worker; here when no worker can run, or while it is still
 * starting and warming up (the first folder of a page loaded straight at it: its first rows
 * waited for the worker's start, compile and warm-up, 250–580 ms after the listing's answer).
 */
export async function parseListingOffThread(kind: 'objects', body: string): Promise<ObjectPage>
export async function parseListingOffThread(kind: 'versions', body: string): Promise<VersionPage>
export async function parseListingOffThread(kind: ListingKind, body: string): Promise<ObjectPage | VersionPage> {
  listingWorker.prepare()
  const answer = listingWorker.ready ? await listingWorker.call({ kind, body }) : undefined
  if (answer && 'page' in answer) return answer.page
  if (answer) throw malformed(answer.error)
  try {
    return parseListing(kind, body)
  } catch (error) {
    throw malformed((error as Error).message)
  }
}
