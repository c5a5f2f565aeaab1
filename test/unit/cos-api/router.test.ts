import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { AwsChunkedDecoder } from '../../../main/cos-api/aws-chunked.ts'
import { resolveTarget } from '../../../main/cos-api/resolve-target.ts'

describe('resolveTarget', () => {
  it.each([
    [
      'examplebucket-1250000000.cos.ap-beijing.myqcloud.com',
      '/a/b.txt',
      'examplebucket-1250000000',
      'a/b.txt',
      'ap-beijing',
      false
    ],
    [
      'examplebucket-1250000000.cos.ap-beijing.myqcloud.com:9500',
      '/',
      'examplebucket-1250000000',
      '',
      'ap-beijing',
      false
    ],
    ['b-1.cos-internal.ap-shanghai.myqcloud.com', '/k', 'b-1', 'k', 'ap-shanghai', false],
    ['b-1.cos.ap-shanghai.tencentcos.cn', '/k', 'b-1', 'k', 'ap-shanghai', false],
    ['b-1.cos.ap-shanghai.localhost:9500', '/k', 'b-1', 'k', 'ap-shanghai', false],
    ['b-1250000000.localhost:9500', '/k%20x', 'b-1250000000', 'k x', undefined, false],
    ['b-1.cos.accelerate.myqcloud.com', '/k', 'b-1', 'k', undefined, false],
    ['127.0.0.1:9500', '/', '', '', undefined, true],
    ['127.0.0.1:9500', '/b-1', 'b-1', '', undefined, true],
    ['127.0.0.1:9500', '/b-1/', 'b-1', '', undefined, true],
    ['localhost:9500', '/b-1/dir/%E4%B8%AD%2B+.txt', 'b-1', 'dir/中++.txt', undefined, true],
    ['127.0.0.1:9500', '/b-1/../x', 'b-1', '../x', undefined, true],
    ['127.0.0.1:9500', '/b-1//double', 'b-1', '/double', undefined, true],
    ['cos.ap-tokyo.myqcloud.com', '/', '', '', 'ap-tokyo', true],
    ['cos.ap-tokyo.myqcloud.com', '/b-1/k', 'b-1', 'k', 'ap-tokyo', true],
    ['service.cos.myqcloud.com', '/', '', '', undefined, true],
    ['[::1]:9500', '/b-1/k', 'b-1', 'k', undefined, true],
    [undefined, '/b-1/k', 'b-1', 'k', undefined, true]
  ])('%s %s', (host, path, bucket, key, region, pathStyle) => {
    expect(resolveTarget(host, path)).toEqual({ bucket, key, region, pathStyle })
  })

  it('rejects malformed percent-encoding with InvalidURI', () => {
    expect(() => resolveTarget('127.0.0.1', '/b-1/%zz')).toThrow(expect.objectContaining({ code: 'InvalidURI' }))
  })
})

async function decode(parts: string[]): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of Readable.from(parts.map((p) => Buffer.from(p))).pipe(new AwsChunkedDecoder())) {
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString()
}

describe('AwsChunkedDecoder', () => {
  it.each([
    [['5\r\nhello\r\n0\r\n\r\n'], 'hello'],
    [
      ['5;chunk-signature=ab\r\nhel', 'lo\r\n3;chunk-signature=cd\r\n', 'abc\r\n0;chunk-signature=ef\r\n\r\n'],
      'helloabc'
    ],
    [['0\r\n\r\n'], ''],
    [['3\r\nabc\r\n0\r\n'], 'abc'],
    [['3\r\na', 'b', 'c', '\r', '\n0', '\r\nx-amz-checksum-sha256:zz\r\n\r\n'], 'abc']
  ])('%j → %j', async (parts, expected) => {
    expect(await decode(parts)).toBe(expected)
  })

  it.each([[['3\r\nabcd\r\n0\r\n\r\n']], [['zz\r\nabc']], [['5\r\nabc']]])('rejects %j', async (parts) => {
    await expect(decode(parts)).rejects.toMatchObject({ code: 'IncompleteBody' })
  })
})
