/** Splits pretty-printed JSON into tokens for highlighting (rendered as text, never as HTML). */

export interface JsonToken {
  text: string
  kind: 'key' | 'string' | 'number' | 'literal' | 'punct'
}

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([^"\d\-tfn]+|.)/g

export function jsonTokens(text: string): JsonToken[] {
  const tokens: JsonToken[] = []
  for (const match of text.matchAll(TOKEN)) {
    const [, string, colon, number, literal] = match
    if (string !== undefined) {
      tokens.push({ text: string, kind: colon ? 'key' : 'string' })
      if (colon) tokens.push({ text: colon, kind: 'punct' })
    } else if (number !== undefined) tokens.push({ text: number, kind: 'number' })
    else if (literal !== undefined) tokens.push({ text: literal, kind: 'literal' })
    else tokens.push({ text: match[0], kind: 'punct' })
  }
  return tokens
}

/** Save text as a file through a temporary object URL. */
export function downloadText(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
