/** Reading a small body at once: whole, too long (put back for a second reader), or cut short. */
import { PassThrough, Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readSmallBody } from '../../../main/store/small-body.ts'

describe('readSmallBody', () => {
  it('returns the bytes of a stream that ends within the limit', async () => {
    const source = Readable.from([Buffer.from('ab'), Buffer.from('cd')])
    expect((await readSmallBody(source, 10))?.toString()).toBe('abcd')
    expect((await readSmallBody(Readable.from([], { objectMode: false }), 10))?.length).toBe(0)
  })

  it('puts back what it read when the stream passes the limit, so it can be read from its start', async () => {
    const source = new PassThrough()
    source.write('12345')
    source.write('67890')
    source.end('abc')
    expect(await readSmallBody(source, 6)).toBeUndefined()
    const again: Buffer[] = []
    for await (const chunk of source) again.push(chunk as Buffer)
    expect(Buffer.concat(again).toString()).toBe('1234567890abc')
  })

  it('rejects when the stream fails or closes before its end', async () => {
    const failing = new PassThrough()
    const read = readSmallBody(failing, 100)
    failing.write('x')
    failing.destroy(new Error('reset'))
    await expect(read).rejects.toThrow('reset')
    const closed = new PassThrough()
    const cut = readSmallBody(closed, 100)
    closed.write('x')
    closed.destroy()
    await expect(cut).rejects.toThrow('Premature close')
  })
})
