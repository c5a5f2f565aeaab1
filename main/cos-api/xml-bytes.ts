/**
 * A large XML response (a listing page of up to 1000 entries) encoded as it is built, in
 * pieces. Built as one string, a page is a rope of thousands of parts, and encoding a rope
 * that deep costs node ≈ 1.2–2 ms of CPU per 1000-entry page (≈ 300 KB) — more than the
 * lookup and the XML together — against ≈ 0.2 ms for the same text in pieces of 16 Ki
 * characters (measured on this machine's node 20, CPU time).
 *
 * The pieces are encoded into one scratch buffer shared by all responses (a page is built
 * and taken within one synchronous handler), and `bytes()` copies the page out once: a
 * Buffer per piece would leave ~20 dead 16 KiB blocks per page in glibc's heap until V8
 * next collects (+23 MiB RSS over the million-object listing).
 *
 * A large page is copied into a buffer kept for the next page once its response was sent
 * (`release`). A fresh ~300 KB buffer per page came from memory glibc had just given back to
 * the system (freed by a collection, several pages at a time, then trimmed off the heap's
 * top), so every page paid ~75 page faults to touch it again: ≈ 0.7 ms of the server's
 * 2.1 ms of CPU per 1000-key page on this VM (bench/million-probe.ts, session 8).
 */
const PIECE_CHARS = 16 * 1024
/** Pages smaller than this are copied into a buffer of their own (small blocks are not trimmed). */
const POOLED_FROM = 64 * 1024
/** Buffers kept for later pages, and the largest kept (a page of 1000 long keys is larger). */
const KEEP_SPARES = 4
const LARGEST_KEPT = 2 * 1024 * 1024
const spares: Buffer[] = []

/** A page's bytes; `release()` gives its buffer back for a later page, once they were sent (or never). */
export interface PageBytes {
  body: Buffer
  release(): void
}

const NOTHING_TO_RELEASE = (): void => {}

function takeSpare(length: number): Buffer {
  const at = spares.findIndex((spare) => spare.length >= length)
  if (at >= 0) return spares.splice(at, 1)[0]!
  // a little room above this page, so that the next, a few keys longer, fits too
  return Buffer.allocUnsafeSlow(Math.max(length + (length >> 2), POOLED_FROM * 4))
}

function giveBack(buffer: Buffer): void {
  if (buffer.length <= LARGEST_KEPT && spares.length < KEEP_SPARES) spares.push(buffer)
}

let scratch = Buffer.allocUnsafeSlow(512 * 1024)
/** The XmlBytes currently writing into `scratch`; an older one can no longer be read. */
let generation = 0

export class XmlBytes {
  private readonly generation = ++generation
  private length = 0
  private piece = ''

  add(xml: string): void {
    this.piece += xml
    if (this.piece.length >= PIECE_CHARS) this.flush()
  }

  /** Everything added so far, as UTF-8, in a buffer no other response uses until it is released. */
  bytes(): PageBytes {
    this.flush()
    if (this.length < POOLED_FROM) {
      const body = Buffer.allocUnsafe(this.length)
      scratch.copy(body, 0, 0, this.length)
      return { body, release: NOTHING_TO_RELEASE }
    }
    const buffer = takeSpare(this.length)
    scratch.copy(buffer, 0, 0, this.length)
    let released = false
    return {
      body: buffer.subarray(0, this.length),
      release() {
        if (released) return
        released = true
        giveBack(buffer)
      }
    }
  }

  private flush(): void {
    if (this.generation !== generation) throw new Error('XmlBytes: another response is being built')
    if (this.piece === '') return
    const room = this.length + this.piece.length * 3 // UTF-8: at most 3 bytes per UTF-16 unit
    if (room > scratch.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(room, 2 * scratch.length))
      scratch.copy(bigger, 0, 0, this.length)
      scratch = bigger
    }
    this.length += scratch.write(this.piece, this.length, 'utf8')
    this.piece = ''
  }
}
