import { describe, expect, it } from 'vitest'
import { readZip } from '../../../main/functions/zip-reader.ts'
import { writeZip } from '../../helpers/zip-writer.ts'

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
    expect(() => readZip(writeZip({ 'big.bin': Buffer.alloc(2000) }), { maxTotalBytes: 1000 })).toThrow(
      /more than 1000 bytes/
    )
  })

  it('enforces the entry-count limit', () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, 'x']))
    expect(readZip(writeZip(files), { maxEntries: 6 })).toHaveLength(6)
    expect(() => readZip(writeZip(files), { maxEntries: 5 })).toThrow(/more than 5 entries/)
  })

  it('never inflates an entry past the size its headers declare', () => {
    const zip = writeZip({ 'a.txt': Buffer.alloc(100_000, 65) }, { deflate: true })
    // a lying archive: both headers claim 10 bytes
    zip.writeUInt32LE(10, 22)
    zip.writeUInt32LE(10, zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24)
    expect(readZip(zip, { maxTotalBytes: 1000 })[0]!.data.length).toBe(10)
  })

  it('rejects a compression method it cannot read', () => {
    const zip = writeZip({ 'a.txt': 'hello' })
    zip.writeUInt16LE(14, 8) // local header: LZMA
    zip.writeUInt16LE(14, zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10)
    expect(() => readZip(zip)).toThrow(/compression.*use deflate/)
  })
})
