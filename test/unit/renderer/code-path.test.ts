import { describe, expect, it } from 'vitest'
import { CODE_PATH_MESSAGES, codePathProblem, normalizeCodePath } from '../../../renderer/src/lib/code-path.ts'

describe('file names in the online code editor', () => {
  it('accepts relative paths, with folders', () => {
    for (const path of ['index.js', 'lib/util.js', 'a b/c.py', '.env', 'src/.eslintrc.json', ' spaced.js ']) {
      expect(codePathProblem(path), path).toBeUndefined()
    }
    expect(normalizeCodePath(' lib\\win.js ')).toBe('lib/win.js')
  })

  it('refuses what would leave the folder or is not a file name', () => {
    const cases: [string, string][] = [
      ['', CODE_PATH_MESSAGES.empty],
      ['   ', CODE_PATH_MESSAGES.empty],
      ['/etc/passwd', CODE_PATH_MESSAGES.absolute],
      ['C:/x.js', CODE_PATH_MESSAGES.absolute],
      ['\\\\server\\x.js', CODE_PATH_MESSAGES.absolute],
      ['../up.js', CODE_PATH_MESSAGES.parent],
      ['lib/../../up.js', CODE_PATH_MESSAGES.parent],
      ['lib\\..\\up.js', CODE_PATH_MESSAGES.parent],
      ['lib//x.js', CODE_PATH_MESSAGES.emptyPart],
      ['lib/', CODE_PATH_MESSAGES.emptyPart],
      ['./x.js', CODE_PATH_MESSAGES.emptyPart],
      ['tab\there.js', CODE_PATH_MESSAGES.control],
      ['node_modules/x.js', CODE_PATH_MESSAGES.reserved],
      ['a/.git/config', CODE_PATH_MESSAGES.reserved]
    ]
    for (const [path, message] of cases) expect(codePathProblem(path)?.text, path).toBe(message)
    expect(codePathProblem('lib/a.js', ['lib/a.js'])).toEqual({
      text: CODE_PATH_MESSAGES.exists,
      values: { path: 'lib/a.js' }
    })
  })
})
