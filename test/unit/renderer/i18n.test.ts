/**
 * The zh-CN dictionary covers the UI: every message the renderer passes to `t()` / `plural()`
 * (the English text is the key) has a Simplified Chinese entry, and the functions, panels and
 * inspector views have no English left outside `t()` in their markup.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { zhCN } from '../../../renderer/src/lib/i18n/zh-CN.ts'
import { PACKAGE_MESSAGES } from '../../../renderer/src/lib/function-package.ts'
import { CODE_PATH_MESSAGES } from '../../../renderer/src/lib/code-path.ts'
import { ATTEMPT_OUTCOMES } from '../../../preload/contract/invocations.ts'
import { INVOCATION_STATUSES } from '../../../preload/contract/status-data.ts'
import { MATCH_REASON_TEXTS } from '../../../main/core/events/matching.ts'
import { TIMELINE_TEXTS } from '../../../main/core/events/timeline.ts'

const root = join(import.meta.dirname, '../../../renderer/src')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'i18n' ? [] : sources(path)
    return /\.(svelte|ts)$/.test(entry.name) ? [path] : []
  })
}

const STRING = String.raw`'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|` + '`((?:[^`\\\\$]|\\\\.)*)`'
function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_whole, char: string) => (char === 'n' ? '\n' : char))
}

/** Message literals in t('…'), t("…"), t(`…`) and plural(n, '…', '…'). */
function messages(source: string): string[] {
  const found: string[] = []
  const single = new RegExp(String.raw`\bt\(\s*(?:${STRING})`, 'g')
  for (const match of source.matchAll(single)) found.push(unescape(match[1] ?? match[2] ?? match[3] ?? ''))
  const plural = new RegExp(String.raw`\bplural\(\s*[^,]+,\s*(?:${STRING})\s*,\s*(?:${STRING})`, 'g')
  for (const match of source.matchAll(plural)) {
    found.push(unescape(match[1] ?? match[2] ?? match[3] ?? ''), unescape(match[4] ?? match[5] ?? match[6] ?? ''))
  }
  return found
}

describe('zh-CN dictionary', () => {
  const files = sources(root)

  it('finds the messages (the scanner works)', () => {
    const all = files.flatMap((file) => messages(readFileSync(file, 'utf8')))
    expect(all.length).toBeGreaterThan(300)
    expect(all).toContain('Code')
  })

  it('has every message the renderer translates', () => {
    const missing: string[] = []
    for (const file of files) {
      for (const message of messages(readFileSync(file, 'utf8'))) {
        if (!(message in zhCN)) missing.push(`${relative(root, file)}: ${JSON.stringify(message)}`)
      }
    }
    for (const message of [...Object.values(PACKAGE_MESSAGES), ...Object.values(CODE_PATH_MESSAGES)]) {
      if (!(message in zhCN)) missing.push(`lib: ${JSON.stringify(message)}`)
    }
    expect(missing).toEqual([])
  })

  it('has the status and outcome names the views pass to t() as values', () => {
    const missing = [...INVOCATION_STATUSES, ...ATTEMPT_OUTCOMES].filter((name) => !(name in zhCN))
    expect(missing).toEqual([])
  })

  it('has the messages the core sends for the UI to translate (explain reasons, timeline titles)', () => {
    const core = [...Object.values(MATCH_REASON_TEXTS), ...Object.values(TIMELINE_TEXTS)]
    expect(core.length).toBeGreaterThan(15)
    expect(core.filter((message) => !(message in zhCN))).toEqual([])
  })

  it('keeps every {placeholder} of the English in the Chinese', () => {
    const broken = Object.entries(zhCN).filter(([english, chinese]) => {
      const names = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort()
      return names(english).join() !== names(chinese).join()
    })
    expect(broken).toEqual([])
  })

  it('leaves no English outside t() in the functions, panels and inspector markup', () => {
    const views = ['components/functions', 'components/panels'].flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((name) => name.endsWith('.svelte'))
        .map((name) => join(root, dir, name))
    )
    const found: string[] = []
    for (const file of views) {
      const markup = withoutExpressions(
        readFileSync(file, 'utf8')
          .replace(/<script[\s\S]*?<\/script>/g, '')
          .replace(/<style[\s\S]*?<\/style>/g, '')
          .replace(/<!--[\s\S]*?-->/g, '')
      )
      // Text between tags.
      for (const match of markup.matchAll(/>([^<>]+)</g)) {
        const text = match[1]!.trim()
        if (/[A-Za-z]{2,}/.test(text) && !ALLOWED_TEXT.has(text)) found.push(`${relative(root, file)}: ${text}`)
      }
      // Attributes people read.
      for (const match of markup.matchAll(/\b(title|aria-label|placeholder|alt)="([^"{]*[A-Za-z]{2,}[^"{]*)"/g)) {
        if (!ALLOWED_TEXT.has(match[2]!)) found.push(`${relative(root, file)}: ${match[1]}="${match[2]}"`)
      }
    }
    expect(found).toEqual([])
  })
})

/** Markup with every {expression} (nested braces included) replaced by a space. */
function withoutExpressions(markup: string): string {
  let out = ''
  let depth = 0
  for (const char of markup) {
    if (char === '{') depth++
    else if (char === '}' && depth > 0) {
      depth--
      if (depth === 0) out += ' '
    } else if (depth === 0) out += char
  }
  return out
}

/** Names, units and example values that read the same in both languages. */
const ALLOWED_TEXT = new Set([
  'Node.js',
  'Python 3',
  'JSON',
  'MB',
  'ms',
  'KB',
  'RequestId',
  'printevent',
  'x-cos-request-id',
  'lib/util.js',
  'testfile'
])
