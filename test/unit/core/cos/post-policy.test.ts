import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkPostContentLength, checkPostPolicy, resolvePostKey } from '../../../../main/core/cos/post-policy.ts'

const AK = 'AKIDlocal'
const SK = 'local-secret'
const secretFor = (id: string) => (id === AK ? SK : undefined)
const NOW = Date.UTC(2026, 0, 1, 12)
const nowS = NOW / 1000
const keyTime = `${nowS - 10};${nowS + 3600}`
const BUCKET = 'examplebucket-1250000000'

/** Sign a policy as COS documents it, with node:crypto (independent of the code under test). */
function signedForm(policy: object, extra: Record<string, string> = {}, secret = SK): Record<string, string> {
  const text = JSON.stringify(policy)
  const signKey = createHmac('sha1', secret).update(keyTime).digest('hex')
  const stringToSign = createHash('sha1').update(text).digest('hex')
  return {
    key: 'uploads/${filename}',
    policy: Buffer.from(text).toString('base64'),
    'q-sign-algorithm': 'sha1',
    'q-ak': AK,
    'q-key-time': keyTime,
    'q-signature': createHmac('sha1', signKey).update(stringToSign).digest('hex'),
    ...extra
  }
}

const basePolicy = (conditions: unknown[], expiration = new Date(NOW + 600_000).toISOString()) => ({
  expiration,
  conditions: [{ 'q-sign-algorithm': 'sha1' }, { 'q-ak': AK }, { 'q-sign-time': keyTime }, ...conditions]
})

const check = (fields: Record<string, string>, filename = 'photo.jpg', signed = true) =>
  checkPostPolicy({ fields, bucket: BUCKET, filename, nowMs: NOW, secretFor: signed ? secretFor : undefined })

describe('POST Object policy and signature', () => {
  it('substitutes ${filename} with the base name', () => {
    expect(resolvePostKey('a/${filename}', 'C:\\Users\\me\\cat.png')).toBe('a/cat.png')
    expect(resolvePostKey('x-${filename}-${filename}', 'f')).toBe('x-f-f')
    expect(resolvePostKey('fixed.txt', 'f')).toBe('fixed.txt')
  })

  it('accepts a correctly signed form whose fields meet every condition', () => {
    const policy = basePolicy([
      { bucket: BUCKET },
      ['starts-with', '$key', 'uploads/'],
      ['eq', '$Content-Type', 'image/jpeg'],
      ['content-length-range', 1, 1024],
      { success_action_status: 201 }
    ])
    const result = check(signedForm(policy, { 'Content-Type': 'image/jpeg', success_action_status: '201' }))
    expect(result).toEqual({ ok: true, key: 'uploads/photo.jpg', lengthRange: { min: 1, max: 1024 }, accessKeyId: AK })
  })

  it('a condition that does not hold → AccessDenied naming the key', () => {
    const result = check(signedForm(basePolicy([['starts-with', '$key', 'private/']])))
    expect(result).toMatchObject({
      ok: false,
      code: 'AccessDenied',
      message: "Condition key key doesn't match the value private/"
    })
    const bucket = check(signedForm(basePolicy([{ bucket: 'other-1250000000' }])))
    expect(bucket).toMatchObject({ ok: false, code: 'AccessDenied' })
  })

  it('expired policy → AccessDenied with both times', () => {
    const result = check(signedForm(basePolicy([], new Date(NOW - 1000).toISOString())))
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.code).toBe('AccessDenied')
    expect(result.message).toContain(`but the time now : ${nowS}`)
  })

  it('malformed policies → InvalidPolicyDocument', () => {
    const cases = [
      { policy: 'not base64 !!' },
      { policy: Buffer.from('{nope').toString('base64') },
      { policy: Buffer.from(JSON.stringify({ conditions: [] })).toString('base64') },
      {
        policy: Buffer.from(JSON.stringify({ expiration: '2099-01-01T00:00:00Z', conditions: [] })).toString('base64')
      },
      {
        policy: Buffer.from(
          JSON.stringify({ expiration: '2099-01-01T00:00:00Z', conditions: [['in', '$key', ['a']]] })
        ).toString('base64')
      }
    ]
    for (const extra of cases) {
      const result = check({ key: 'k', ...extra }, 'f', false)
      expect(result.ok || result.code).toBe('InvalidPolicyDocument')
    }
  })

  it('tampered policy → SignatureDoesNotMatch with the string to sign', () => {
    const form = signedForm(basePolicy([]))
    const tampered = JSON.stringify(basePolicy([['starts-with', '$key', '']]))
    form.policy = Buffer.from(tampered).toString('base64')
    const result = check(form)
    expect(result).toMatchObject({
      ok: false,
      code: 'SignatureDoesNotMatch',
      stringToSign: createHash('sha1').update(tampered).digest('hex')
    })
  })

  it('wrong secret, unknown q-ak, missing fields, expired key time', () => {
    expect(check(signedForm(basePolicy([]), {}, 'bad'))).toMatchObject({ code: 'SignatureDoesNotMatch' })
    expect(check(signedForm(basePolicy([]), { 'q-ak': 'AKIDnobody' }))).toMatchObject({ code: 'InvalidAccessKeyId' })
    const missing = signedForm(basePolicy([]))
    delete missing['q-signature']
    expect(check(missing)).toMatchObject({ code: 'AccessDenied' })
    const late = checkPostPolicy({
      fields: signedForm(basePolicy([], new Date(NOW + 9e6).toISOString())),
      bucket: BUCKET,
      filename: 'f',
      nowMs: NOW + 7200_000,
      secretFor
    })
    expect(late).toMatchObject({ code: 'AccessDenied', message: 'Request has expired' })
  })

  it('open mode: no signature needed; a present policy is still enforced', () => {
    expect(check({ key: 'a/${filename}' }, 'b.txt', false)).toEqual({ ok: true, key: 'a/b.txt' })
    const policy = Buffer.from(
      JSON.stringify({ expiration: '2099-01-01T00:00:00Z', conditions: [['eq', '$key', 'x']] })
    ).toString('base64')
    expect(check({ key: 'y', policy }, 'f', false)).toMatchObject({ code: 'AccessDenied' })
  })

  it('missing key field → InvalidArgument', () => {
    expect(check({}, 'f', false)).toMatchObject({ code: 'InvalidArgument' })
  })

  it('content-length-range after upload', () => {
    expect(checkPostContentLength(10, { min: 1, max: 10 })).toBeUndefined()
    expect(checkPostContentLength(11, { min: 1, max: 10 })?.code).toBe('EntityTooLarge')
    expect(checkPostContentLength(0, { min: 1, max: 10 })?.code).toBe('EntityTooSmall')
    expect(checkPostContentLength(5, undefined)).toBeUndefined()
  })
})
