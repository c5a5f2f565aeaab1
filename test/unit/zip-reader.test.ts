import { describe, expect, it } from 'vitest'
import { readZip } from '../../main/functions/zip-reader.ts'
import { writeZip } from '../integration/helpers/zip-writer.ts'

describe('zip reader', () => {
  it.each([false, true])('reads stored and deflated entries (deflate %s)', (deflate) => {
    const zip = writeZip(
      {
        'index.js': 'exports.main_handler = () => 1\n',
        'lib/': '',
        'lib/util.js': 'x'.repeat(5000),
        '中文.txt': '你好'
      },
      { deflate }
    )
    const entries = readZip(zip)
    expect(entries.map((e) => e.path)).toEqual(['index.js', 'lib/', 'lib/util.js', '中文.txt'])
    expect(entries[2]!.data.toString()).toBe('x'.repeat(5000))
    expect(entries[3]!.data.toString()).toBe('你好')
  })

  it.each(['../evil.js', '/etc/passwd', 'a/../../b'])('rejects the unsafe path %s', (path) => {
    expect(() => readZip(writeZip({ [path]: 'x' }))).toThrow(/unsafe path/)
  })

  it('rejects a file that is not a zip', () => {
    expect(() => readZip(Buffer.from('hello world, not a zip at all'))).toThrow(/not a zip file/)
  })

  it('enforces the size limit', () => {
    expect(() => readZip(writeZip({ 'big.bin': Buffer.alloc(2000) }), 1000)).toThrow(/more than 1000 bytes/)
  })
})
