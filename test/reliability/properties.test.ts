/**
 * Property tests (fast-check) for the pure rules: listing against a naive model, trigger
 * matching against COS's overlap rule, and q-sign signatures made by the official SDK.
 * Runs more cases in full mode; a failure prints fast-check's seed and path to replay it.
 */
import COS from 'cos-nodejs-sdk-v5'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareKeys } from '../../main/core/cos/key-order.ts'
import { listPage, type ListingParams } from '../../main/core/cos/listing.ts'
import { verifyQSign } from '../../main/core/cos/signature-qsign.ts'
import { expandEventName, TRIGGER_EVENT_NAMES, type TriggerEventName } from '../../main/core/events/event-names.ts'
import { matchingRules } from '../../main/core/events/matching.ts'
import { ruleConflictCode } from '../../main/core/events/trigger-conflicts.ts'
import type { TriggerRule } from '../../main/core/events/trigger-rule.ts'
import { report, sized } from './helpers/mode.ts'

const RUNS = sized(200, 5_000)
const params = (): fc.Parameters<unknown> => ({ numRuns: RUNS })

// ── Listing ────────────────────────────────────────────────────────────────────
const keyChar = fc.constantFrom('a', 'b', '/', '.', '-', '中', '😀', 'A')
const keyArb = fc.array(keyChar, { minLength: 1, maxLength: 6 }).map((chars) => chars.join(''))

function naiveEntries(keys: string[], prefix: string, delimiter: string): { key: string; prefix: boolean }[] {
  const out: { key: string; prefix: boolean }[] = []
  const seen = new Set<string>()
  for (const key of [...keys].sort(compareKeys)) {
    if (!key.startsWith(prefix)) continue
    const at = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length)
    if (at >= 0) {
      const rolled = key.slice(0, at + delimiter.length)
      if (!seen.has(rolled)) out.push({ key: rolled, prefix: true })
      seen.add(rolled)
    } else out.push({ key, prefix: false })
  }
  return out
}

describe('listing', () => {
  it('paging with NextMarker returns exactly the naive listing, in order, at most max-keys per page', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(keyArb, { maxLength: 40 }),
        fc.constantFrom('', 'a', 'a/', 'b', '中'),
        fc.constantFrom('', '/', '.', 'a/'),
        fc.integer({ min: 1, max: 7 }),
        (keys, prefix, delimiter, maxKeys) => {
          const sorted = [...keys].sort(compareKeys).map((key) => ({ key }))
          const source = {
            read(from: string, inclusive: boolean, limit: number) {
              return sorted
                .filter((row) => (inclusive ? compareKeys(row.key, from) >= 0 : compareKeys(row.key, from) > 0))
                .slice(0, limit)
            }
          }
          const got: { key: string; prefix: boolean }[] = []
          let marker = ''
          for (let pages = 0; pages < 100; pages++) {
            const p: ListingParams = { prefix, delimiter, marker, maxKeys }
            const page = listPage(p, source)
            const entries = [
              ...page.contents.map((row) => ({ key: row.key, prefix: false })),
              ...page.commonPrefixes.map((key) => ({ key, prefix: true }))
            ].sort((x, y) => compareKeys(x.key, y.key))
            expect(entries.length).toBeLessThanOrEqual(maxKeys)
            got.push(...entries)
            if (!page.isTruncated) break
            expect(page.nextMarker).toBe(entries.at(-1)?.key)
            marker = page.nextMarker!
          }
          expect(got).toEqual(naiveEntries(keys, prefix, delimiter))
        }
      ),
      params()
    )
  })
})

// ── Trigger rules ───────────────────────────────────────────────────────────────
const affix = fc.constantFrom('', 'a', 'ab', 'img/', 'img/a', '.jpg', 'a.jpg', 'b')
const ruleArb = fc.record({
  event: fc.constantFrom(...TRIGGER_EVENT_NAMES),
  prefix: affix,
  suffix: affix
})
const rule = (id: string, shape: { event: TriggerEventName; prefix: string; suffix: string }): TriggerRule => ({
  id,
  functionName: `fn-${id}`,
  qualifier: '$DEFAULT',
  bucket: 'b-1250000000',
  region: 'ap-guangzhou',
  enabled: true,
  createdAt: 0,
  ...shape
})

describe('trigger matching and conflicts', () => {
  it('two rules COS lets coexist never both match one event; conflicting rules share a witness event', () => {
    fc.assert(
      fc.property(ruleArb, ruleArb, fc.string({ maxLength: 8 }), fc.integer({ min: 0, max: 11 }), (a, b, key, n) => {
        const ra = rule('a', a)
        const rb = rule('b', b)
        const conflict = ruleConflictCode(ra, rb)
        expect(conflict === undefined).toBe(ruleConflictCode(rb, ra) === undefined)
        const names = [...new Set(TRIGGER_EVENT_NAMES.flatMap((name) => expandEventName(name)))]
        const event = { name: names[n % names.length]!, bucket: 'b-1250000000', key, region: 'ap-guangzhou' }
        const matched = matchingRules([ra, rb], event, 'ap-guangzhou')
        if (matched.length === 2) expect(conflict).toBeDefined()
        if (conflict) {
          const shared = expandEventName(a.event).find((name) => (expandEventName(b.event) as string[]).includes(name))!
          const longPrefix = a.prefix.length >= b.prefix.length ? a.prefix : b.prefix
          const longSuffix = a.suffix.length >= b.suffix.length ? a.suffix : b.suffix
          const witness = { ...event, name: shared, key: longPrefix + longSuffix }
          expect(matchingRules([ra, rb], witness, 'ap-guangzhou')).toHaveLength(2)
        }
      }),
      params()
    )
  })

  it('a rule matches exactly the events of its bucket, covered name, prefix, suffix, when enabled', () => {
    fc.assert(
      fc.property(
        ruleArb,
        fc.boolean(),
        fc.string({ maxLength: 8 }),
        fc.constantFrom(...TRIGGER_EVENT_NAMES),
        (shape, enabled, key, pattern) => {
          const r = { ...rule('r', shape), enabled }
          const name = expandEventName(pattern)[0]!
          const event = { name, bucket: 'b-1250000000', key, region: 'ap-guangzhou' }
          const expected =
            enabled &&
            (expandEventName(shape.event) as string[]).includes(name) &&
            key.startsWith(shape.prefix) &&
            key.endsWith(shape.suffix)
          expect(matchingRules([r], event, 'ap-guangzhou').length === 1).toBe(expected)
          expect(matchingRules([r], { ...event, bucket: 'other-1250000000' }, 'ap-guangzhou')).toHaveLength(0)
        }
      ),
      params()
    )
  })
})

// ── Signatures ─────────────────────────────────────────────────────────────────
const NOW = Date.UTC(2026, 11, 5)
const secrets = (id: string) => (id === 'AKIDprop' ? 'prop-secret' : undefined)
const segment = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', '-', '_', '.', '~', ' ', '+', '%', '中', '😀', '&', '='),
  minLength: 1,
  maxLength: 6
})

describe('q-sign signatures (cos-nodejs-sdk-v5 signs, we verify)', () => {
  it('a request signed by the SDK verifies; any change to method, path, a signed header or parameter does not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD'),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.dictionary(fc.constantFrom('prefix', 'marker', 'versionId', 'x-cos-a'), segment, { maxKeys: 3 }),
        fc.dictionary(fc.constantFrom('x-cos-meta-a', 'x-cos-meta-b', 'content-type'), segment, { maxKeys: 2 }),
        fc.integer({ min: 0, max: 3 }),
        (method, segments, rawQuery, extraHeaders, mutation) => {
          const query: Record<string, string> = { ...rawQuery }
          const key = segments.join('/')
          const headers: Record<string, string> = {
            host: 'b-1250000000.cos.ap-guangzhou.myqcloud.com',
            ...{ ...extraHeaders }
          }
          const s = Math.floor(NOW / 1000)
          const authorization = COS.getAuthorization({
            SecretId: 'AKIDprop',
            SecretKey: 'prop-secret',
            Method: method,
            Key: key,
            Query: query,
            Headers: headers,
            KeyTime: `${s - 10};${s + 600}`
          } as never) as unknown as string
          const rawPath = '/' + segments.map((part) => encodeURIComponent(part)).join('/')
          const request = {
            method,
            rawPath,
            query: Object.entries(query) as [string, string][],
            headers: { ...headers, authorization }
          }
          const ok = verifyQSign(request, secrets, NOW)
          expect(ok.ok, ok.ok ? '' : ok.message).toBe(true)
          const changed = [
            { ...request, method: method === 'GET' ? 'PUT' : 'GET' },
            { ...request, rawPath: rawPath + 'x' },
            { ...request, headers: { ...request.headers, host: 'other.cos.ap-guangzhou.myqcloud.com' } },
            {
              ...request,
              query: [...request.query, ['prefix-extra', 'x'] as [string, string]].map(
                ([n, v]) => [n === 'prefix-extra' ? 'prefix' : n, v + 'y'] as [string, string]
              )
            }
          ][mutation]!
          if (mutation === 3 && Object.keys(query).length === 0) return
          const bad = verifyQSign(changed, secrets, NOW)
          expect(bad.ok).toBe(false)
        }
      ),
      params()
    )
    report('properties', { runsPerProperty: RUNS, properties: 4 })
  })
})
