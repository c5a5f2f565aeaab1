/**
 * POST Object (browser form upload) rules: the `${filename}` key wildcard, the policy
 * document (base64 JSON: expiration + conditions) checked against the form fields, and the
 * form's own q-sign signature (reference cos-scf.md §4.5):
 *
 *   SignKey   = hex HMAC-SHA1(SecretKey, q-key-time)
 *   Signature = hex HMAC-SHA1(SignKey, hex SHA1(policy JSON text))
 *
 * Messages follow COS's POST troubleshooting page (436/41164) where it gives them.
 */
import { hmacSha1, sha1Hex, toHex } from '../digest.ts'
import { EXPIRED_MESSAGE, type SecretLookup } from './signature-check.ts'

export type PostPolicyErrorCode =
  | 'InvalidArgument'
  | 'InvalidPolicyDocument'
  | 'AccessDenied'
  | 'SignatureDoesNotMatch'
  | 'InvalidAccessKeyId'
  | 'EntityTooLarge'
  | 'EntityTooSmall'

export interface PostPolicyFailure {
  ok: false
  code: PostPolicyErrorCode
  message: string
  /** For SignatureDoesNotMatch: hex SHA1 of the policy text, which is what gets signed. */
  stringToSign: string
}

export interface LengthRange {
  min: number
  max: number
}

export interface PostPolicyPass {
  ok: true
  /** The object key with `${filename}` substituted. */
  key: string
  /** From a `content-length-range` condition; check it once the file is received. */
  lengthRange?: LengthRange
  /** The q-ak that signed the form, when it was signed. */
  accessKeyId?: string
}

export type PostPolicyCheck = PostPolicyPass | PostPolicyFailure

export interface PostPolicyInput {
  /** Form fields received before the file part, names as sent (compared case-insensitively). */
  fields: ReadonlyMap<string, string> | Readonly<Record<string, string>>
  /** The bucket the form was posted to, for `{"bucket": …}` conditions. */
  bucket: string
  /** File name of the `file` part, for `${filename}`. */
  filename: string
  /** Emulated time (Clock) in epoch milliseconds. */
  nowMs: number
  /** When set (credentials configured), the form must carry a valid q-sign signature. */
  secretFor?: SecretLookup
}

const fail = (code: PostPolicyErrorCode, message: string, stringToSign = ''): PostPolicyFailure => ({
  ok: false,
  code,
  message,
  stringToSign
})

/** Replace every `${filename}` in the key field with the uploaded file's base name. */
export function resolvePostKey(keyField: string, filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? ''
  return keyField.split('${filename}').join(base)
}

function lowerFields(fields: PostPolicyInput['fields']): Map<string, string> {
  const entries = fields instanceof Map ? [...fields] : Object.entries(fields)
  const out = new Map<string, string>()
  for (const [name, value] of entries) {
    const lower = name.toLowerCase()
    if (!out.has(lower)) out.set(lower, value)
  }
  return out
}

/** Decode base64 to UTF-8 text without Node's Buffer (core stays runtime-neutral). */
export function decodeBase64Text(base64: string): string | undefined {
  const clean = base64.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) return undefined
  try {
    const binary = atob(clean.replace(/-/g, '+').replace(/_/g, '/'))
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

/** Check the form's signature (when `secretFor` is set) and its policy (when present). */
export function checkPostPolicy(input: PostPolicyInput): PostPolicyCheck {
  const fields = lowerFields(input.fields)
  const keyField = fields.get('key')
  if (keyField === undefined || keyField === '') {
    return fail('InvalidArgument', 'Bucket POST must contain a field named "key" before the file field.')
  }
  const key = resolvePostKey(keyField, input.filename)
  const policyField = fields.get('policy')
  const nowSeconds = Math.floor(input.nowMs / 1000)

  let accessKeyId: string | undefined
  if (input.secretFor) {
    const signed = checkFormSignature(fields, policyField, input.secretFor, nowSeconds)
    if (!signed.ok) return signed
    accessKeyId = signed.accessKeyId
  }
  if (policyField === undefined) return { ok: true, key, accessKeyId }

  const text = decodeBase64Text(policyField)
  if (text === undefined) return fail('InvalidPolicyDocument', 'Invalid Policy: the policy field is not valid base64.')
  let policy: unknown
  try {
    policy = JSON.parse(text)
  } catch {
    return fail('InvalidPolicyDocument', 'Invalid Policy: the policy is not valid JSON.')
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    return fail('InvalidPolicyDocument', 'Invalid Policy: the policy must be a JSON object.')
  }
  const { expiration, conditions } = policy as { expiration?: unknown; conditions?: unknown }
  const expiresAt = typeof expiration === 'string' ? Date.parse(expiration) : NaN
  if (Number.isNaN(expiresAt)) {
    return fail(
      'InvalidPolicyDocument',
      'Invalid Policy: "expiration" must be an ISO 8601 GMT time such as "2026-01-01T12:00:00.000Z".'
    )
  }
  if (input.nowMs > expiresAt) {
    return fail(
      'AccessDenied',
      `You post object request has been expired, expiration time: ${Math.floor(expiresAt / 1000)} ` +
        `but the time now : ${nowSeconds}`
    )
  }
  if (!Array.isArray(conditions) || conditions.length === 0) {
    return fail('InvalidPolicyDocument', 'You must provide condition if you specify a policy in post object request.')
  }

  const valueOf = (name: string): string[] => {
    const lower = name.replace(/^\$/, '').toLowerCase()
    if (lower === 'bucket') return [input.bucket]
    if (lower === 'key') return [key, keyField]
    if (lower === 'q-sign-time') return [fields.get('q-sign-time') ?? fields.get('q-key-time') ?? '']
    return [fields.get(lower) ?? '']
  }
  let lengthRange: LengthRange | undefined
  for (const condition of conditions) {
    const checked = checkCondition(condition, valueOf)
    if (checked === undefined) continue
    if ('range' in checked) lengthRange = checked.range
    else return checked
  }
  return { ok: true, key, lengthRange, accessKeyId }
}

function checkCondition(
  condition: unknown,
  valueOf: (name: string) => string[]
): PostPolicyFailure | { range: LengthRange } | undefined {
  const mismatch = (name: string, expected: string) =>
    fail('AccessDenied', `Condition key ${name.replace(/^\$/, '')} doesn't match the value ${expected}`)
  if (Array.isArray(condition)) {
    const [operator, name, value] = condition as unknown[]
    const op = String(operator).toLowerCase()
    if (op === 'content-length-range') {
      const min = Number(name)
      const max = Number(value)
      if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
        return fail('InvalidPolicyDocument', 'Invalid Policy: content-length-range needs two integers 0 <= min <= max.')
      }
      return { range: { min, max } }
    }
    if ((op !== 'eq' && op !== 'starts-with') || condition.length !== 3 || typeof name !== 'string') {
      return fail(
        'InvalidPolicyDocument',
        `Invalid Policy: unknown condition ${JSON.stringify(condition)}; use {"field": "value"}, ` +
          '["eq", "$field", "value"], ["starts-with", "$field", "prefix"] or ["content-length-range", min, max].'
      )
    }
    const expected = String(value ?? '')
    const actual = valueOf(name)
    const matches = op === 'eq' ? actual.includes(expected) : actual.some((v) => v.startsWith(expected))
    return matches ? undefined : mismatch(name, expected)
  }
  if (typeof condition === 'object' && condition !== null) {
    for (const [name, value] of Object.entries(condition)) {
      if (!valueOf(name).includes(String(value))) return mismatch(name, String(value))
    }
    return undefined
  }
  return fail(
    'InvalidPolicyDocument',
    `Invalid Policy: condition ${JSON.stringify(condition)} must be an object or an array.`
  )
}

function checkFormSignature(
  fields: Map<string, string>,
  policy: string | undefined,
  secretFor: SecretLookup,
  nowSeconds: number
): { ok: true; accessKeyId: string } | PostPolicyFailure {
  const algorithm = fields.get('q-sign-algorithm')
  const accessKeyId = fields.get('q-ak')
  const keyTime = fields.get('q-key-time') ?? fields.get('q-sign-time')
  const signature = fields.get('q-signature')
  if (policy === undefined || !algorithm || !accessKeyId || !keyTime || !signature) {
    return fail(
      'AccessDenied',
      'Access Denied: a signed POST form needs the fields policy, q-sign-algorithm, q-ak, q-key-time and ' +
        'q-signature before the file field.'
    )
  }
  if (algorithm.toLowerCase() !== 'sha1')
    return fail('AccessDenied', `q-sign-algorithm must be sha1, got "${algorithm}".`)
  const secretKey = secretFor(accessKeyId)
  if (secretKey === undefined) {
    return fail('InvalidAccessKeyId', `The SecretId "${accessKeyId}" you provided does not exist in our records.`)
  }
  const window = /^\s*(\d+)\s*;\s*(\d+)\s*$/.exec(keyTime)
  if (!window || Number(window[1]) > Number(window[2])) {
    return fail('AccessDenied', `q-key-time "${keyTime}" must be "<start>;<end>" in Unix seconds.`)
  }
  if (nowSeconds > Number(window[2])) {
    return fail('AccessDenied', EXPIRED_MESSAGE)
  }
  const text = decodeBase64Text(policy) ?? ''
  const stringToSign = sha1Hex(text)
  const expected = toHex(hmacSha1(toHex(hmacSha1(secretKey, keyTime)), stringToSign))
  if (expected !== signature.toLowerCase()) {
    return fail(
      'SignatureDoesNotMatch',
      'The Signature you specified is invalid. For POST Object the string to sign is hex SHA1 of the ' +
        'base64-decoded policy text, signed with hex HMAC-SHA1(SecretKey, q-key-time).',
      stringToSign
    )
  }
  return { ok: true, accessKeyId }
}

/** After the file is received: enforce a content-length-range condition. */
export function checkPostContentLength(size: number, range: LengthRange | undefined): PostPolicyFailure | undefined {
  if (!range) return undefined
  if (size > range.max) {
    return fail(
      'EntityTooLarge',
      `Your proposed upload of ${size} bytes exceeds the maximum allowed size of ${range.max} bytes.`
    )
  }
  if (size < range.min) {
    return fail(
      'EntityTooSmall',
      `Your proposed upload of ${size} bytes is smaller than the minimum allowed size of ${range.min} bytes.`
    )
  }
  return undefined
}
