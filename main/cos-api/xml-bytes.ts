/**
 * A large XML response (a listing page of up to 1000 entries) encoded as it is built, in
 * pieces. Built as one string, a page is a rope of thousands of parts, and encoding a rope
 * that deep costs node ≈ 1.2–2 ms of CPU per 1000-entry page (≈ 300 KB) — more than the
 * lookup and the XML together — against ≈ 0.2 ms for the same text in pieces of 16 Ki
 * characters (measured on this machine's node 20, CPU time).
 */
const PIECE_CHARS = 16 * 1024

export class XmlBytes {
  private readonly parts: Buffer[] = []
  private piece = ''

  add(xml: string): void {
    this.piece += xml
    if (this.piece.length >= PIECE_CHARS) this.flush()
  }

  /** Everything added so far, as UTF-8. */
  bytes(): Buffer {
    this.flush()
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts)
  }

  private flush(): void {
    if (this.piece === '') return
    this.parts.push(Buffer.from(this.piece, 'utf8'))
    this.piece = ''
  }
}
