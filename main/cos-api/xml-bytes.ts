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
 */
const PIECE_CHARS = 16 * 1024

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

  /** Everything added so far, as UTF-8, in a buffer of its own. */
  bytes(): Buffer {
    this.flush()
    const out = Buffer.allocUnsafeSlow(this.length)
    scratch.copy(out, 0, 0, this.length)
    return out
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
