/**
 * The listing fast path. Listing pages of 1000 keys are the UI's hot path (a folder of 100k
 * objects is 100 of them), and the SDK parses XML in JavaScript on the main thread (measured:
 * 0.2–1.6 s per 1000-key page on this machine), so GET Bucket (and ?versions) is signed by the
 * SDK (`getAuth`, with its clock offset) and sent with fetch, and the answer is parsed in a
 * worker (list-worker.ts): even the browser's DOMParser took 50 ms a page on a busy machine.
 * Errors (small documents) are read here and keep COS's Code, Message and RequestId.
 */
import { CosRequestError } from './cos-error.ts'
import { parseListingDom } from './list-dom.ts'
import type { ListingKind } from './list-page.ts'
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

/** A later start is asked for by every listing parsed here before the worker is ready: once is enough. */
let startScheduled = false

/**
 * Starts the listing worker (it warms its parser up as it starts): now, or `later`, once the page
 * is idle after its next frame (the first folder's rows). Its start, compile and warm-up (≈ 50 ms of
 * CPU, and as much again in V8's optimizing compiles on other threads) ran alongside the app's
 * own start and slowed the first rows of a page loaded at a folder's address, which the page
 * parses itself anyway (below).
 */
export function prepareListingWorker(later = false): void {
  if (!later || typeof requestAnimationFrame !== 'function') {
    listingWorker.prepare()
    return
  }
  if (startScheduled) return
  startScheduled = true
  // An idle period before the next frame would come before the rows are drawn.
  if (typeof requestIdleCallback === 'function')
    requestAnimationFrame(() => requestIdleCallback(() => listingWorker.prepare(), { timeout: 1000 }))
  else requestAnimationFrame(() => setTimeout(() => listingWorker.prepare()))
}

const malformed = (message: string): CosRequestError =>
  new CosRequestError('MalformedXML', `Cannot read the listing: ${message}`, 200)

/**
 * Parses a listing's XML in the worker; here (the browser's DOMParser) when no worker can run,
 * or before it has started and warmed up: the first folder of a page loaded at its address is
 * read here and the worker started after its rows are drawn.
 */
export async function parseListingOffThread(kind: 'objects', body: string): Promise<ObjectPage>
export async function parseListingOffThread(kind: 'versions', body: string): Promise<VersionPage>
export async function parseListingOffThread(kind: ListingKind, body: string): Promise<ObjectPage | VersionPage> {
  const answer = listingWorker.ready ? await listingWorker.call({ kind, body }) : undefined
  if (answer && 'page' in answer) return answer.page
  if (answer) throw malformed(answer.error)
  prepareListingWorker(true)
  try {
    return parseListingDom(kind, body)
  } catch (error) {
    throw malformed((error as Error).message)
  }
}
