/** Extracts the `<!-- snippet: NAME -->` code blocks from README.md, so tests run exactly what users read. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const README = join(import.meta.dirname, '..', '..', 'README.md')

export function readmeSnippet(name: string, port: number): string {
  const text = readFileSync(README, 'utf8')
  const match = new RegExp(`<!-- snippet: ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(text)
  if (!match) throw new Error(`README.md has no snippet "${name}"`)
  return match[1]!.replaceAll('9500', String(port))
}
