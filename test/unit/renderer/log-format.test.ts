import { describe, expect, it } from 'vitest'
import { logLevel, readableLine, splitStackTrace, terminalLine } from '../../../renderer/src/lib/log-format.ts'

/** The terminal's text without its colours. */
const plain = (text: string): string => text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')

const REQUEST = '01a24b43-5203-7309-a1d1-1253cf1d4c5e'
const nodeStack =
  'Error: cannot decode image\n    at exports.main_handler (/fn/index.js:1:44)\n    at invoke (/rt/node-bootstrap.cjs:265:25)'
const errorLine = (result: object): string => `ERROR RequestId:${REQUEST} Result:${JSON.stringify(result)}`

describe('run-log lines in the terminal', () => {
  it("shows an error's stack trace under its line, one frame per line, and keeps the rest of the Result", () => {
    const text = errorLine({ errorCode: 1, errorMessage: 'cannot decode image', stackTrace: nodeStack })
    expect(logLevel(text)).toBe('error')
    expect(plain(terminalLine('resizer', text)).split('\n')).toEqual([
      `[resizer] ERROR RequestId:${REQUEST} Result:{"errorCode":1,"errorMessage":"cannot decode image"}`,
      '  Error: cannot decode image',
      '      at exports.main_handler (/fn/index.js:1:44)',
      '      at invoke (/rt/node-bootstrap.cjs:265:25)'
    ])
  })

  it("keeps a Python traceback's own indentation and drops its final newline", () => {
    const traceback =
      'Traceback (most recent call last):\n  File "/fn/index.py", line 2, in main_handler\nValueError: bad\n'
    const split = splitStackTrace(errorLine({ errorCode: 1, errorMessage: 'bad', stackTrace: traceback }))
    expect(split?.stack).toEqual([
      'Traceback (most recent call last):',
      '  File "/fn/index.py", line 2, in main_handler',
      'ValueError: bad'
    ])
  })

  it('gives the same lines as plain text for the functions view run log', () => {
    const text = errorLine({ errorCode: 1, errorMessage: 'cannot decode image', stackTrace: nodeStack })
    expect(readableLine(text)).toBe(plain(terminalLine('', text)))
    expect(readableLine('START RequestId:x')).toBe('START RequestId:x')
  })

  it('leaves every other line as SCF wrote it', () => {
    const cases = [
      errorLine({ errorCode: 1, errorMessage: 'timed out', stackTrace: '' }),
      errorLine({ errorCode: 1, errorMessage: 'one line', stackTrace: 'Error: one line' }),
      `ERROR RequestId:${REQUEST} Result:{not json`,
      `ERROR RequestId:${REQUEST} Result:["a\\nb"]`,
      `2026-12-06T12:00:00.000Z\t${REQUEST}\tstackTrace: "a\\nb"`
    ]
    for (const text of cases) {
      expect(splitStackTrace(text), text).toBeUndefined()
      expect(plain(terminalLine('fn', text)), text).toBe(`[fn] ${text}`)
    }
  })
})
