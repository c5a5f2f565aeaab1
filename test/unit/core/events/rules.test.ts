import { describe, expect, it } from 'vitest'
import { parseBucketRef } from '../../../../main/core/events/bucket-ref.ts'
import { checkNewTrigger } from '../../../../main/core/events/trigger-checks.ts'
import { findRuleConflict, ruleConflictCode } from '../../../../main/core/events/trigger-conflicts.ts'
import { rule } from './fixtures.ts'

describe('trigger overlap conflicts (COS uniqueness rule)', () => {
  it.each([
    // [existing, candidate, expected]
    [{}, {}, 'NotifyRuleEventConflict'],
    [{ event: 'cos:ObjectCreated:*' }, { event: 'cos:ObjectCreated:Put' }, 'NotifyRuleEventConflict'],
    [{ event: 'cos:ObjectCreated:*' }, { event: 'cos:ObjectRemove:*' }, undefined],
    [{ event: 'cos:ObjectCreated:Put' }, { event: 'cos:ObjectCreated:Post' }, undefined],
    [{ prefix: 'Log' }, { prefix: 'Log' }, 'NotifyRulePrefixConflict'],
    [{ prefix: 'Log' }, { prefix: 'Logs/' }, 'NotifyRulePrefixConflict'],
    [{ prefix: 'a/' }, { prefix: 'b/' }, undefined],
    [{ prefix: 'a/' }, {}, 'NotifyRulePrefixConflict'],
    [{ suffix: '.jpg' }, { suffix: '.jpg' }, 'NotifyRuleSuffixConflict'],
    [{ suffix: '.jpg' }, { suffix: 'x.jpg' }, 'NotifyRuleSuffixConflict'],
    [{ suffix: '.jpg' }, { suffix: '.png' }, undefined],
    [{ prefix: 'a/', suffix: '.jpg' }, { prefix: 'a/', suffix: '.png' }, undefined],
    [{ prefix: 'a/', suffix: '.jpg' }, { prefix: 'b/', suffix: '.jpg' }, undefined],
    [{ prefix: 'a/' }, { suffix: '.jpg' }, 'NotifyRulePrefixConflict'],
    [{ bucket: 'other-1250000000' }, {}, undefined],
    [
      { prefix: 'a/', event: 'cos:ObjectRemove:Delete' },
      { prefix: 'a/', event: 'cos:ObjectRemove:*' },
      'NotifyRulePrefixConflict'
    ]
  ] as const)('%j vs %j → %s', (a, b, expected) => {
    expect(ruleConflictCode(rule(a), rule(b))).toBe(expected)
  })

  it('names the overlapping rule in the message', () => {
    const existing = rule({ id: 'trg-a', functionName: 'resize', prefix: 'Log' })
    const conflict = findRuleConflict([existing], rule({ prefix: 'Log' }))
    expect(conflict?.rule.id).toBe('trg-a')
    expect(conflict?.message).toContain('trigger trg-a (function resize, cos:ObjectCreated:*, prefix "Log")')
  })
})

describe('checkNewTrigger', () => {
  it('rejects a bucket in another region', () => {
    expect(() => checkNewTrigger([], rule({ region: 'ap-beijing' }), 'ap-guangzhou')).toThrow(/same region/)
  })

  it('rejects a conflicting rule with its COS code', () => {
    try {
      checkNewTrigger([rule({ suffix: '.jpg' })], rule({ suffix: '.jpg', functionName: 'other' }), 'ap-guangzhou')
      expect.unreachable()
    } catch (error) {
      expect((error as { code: string }).code).toBe('NotifyRuleSuffixConflict')
    }
  })

  it('allows 10 triggers per function, not 11', () => {
    const existing = Array.from({ length: 10 }, (_, i) => rule({ bucket: `b${i}-1250000000` }))
    expect(() =>
      checkNewTrigger(existing.slice(0, 9), rule({ bucket: 'b9x-1250000000' }), 'ap-guangzhou')
    ).not.toThrow()
    expect(() => checkNewTrigger(existing, rule({ bucket: 'b10-1250000000' }), 'ap-guangzhou')).toThrow(
      /at most 10 are allowed/
    )
  })

  it('allows 10 rules per bucket, not 11', () => {
    const existing = Array.from({ length: 10 }, (_, i) => rule({ functionName: `f${i}`, prefix: `p${i}/` }))
    expect(() => checkNewTrigger(existing, rule({ functionName: 'g', prefix: 'zz/' }), 'ap-guangzhou')).toThrow(
      /Bucket photos-1250000000 already has 10 trigger rules/
    )
  })
})

describe('bucket references', () => {
  it.each([
    ['photos-1250000000', { bucket: 'photos-1250000000' }],
    ['photos', { bucket: 'photos-1250000000' }],
    ['photos-1250000000.cos.ap-beijing.myqcloud.com', { bucket: 'photos-1250000000', region: 'ap-beijing' }],
    ['cli-appid.cos.ap-beijing.myqcloud.com', { bucket: 'cli-appid-1250000000', region: 'ap-beijing' }]
  ])('%s', (input, expected) => {
    expect(parseBucketRef(input, '1250000000')).toEqual(expected)
  })

  it.each(['', 'Bad_Name', '-x', 'a b'])('rejects %j', (input) => {
    expect(() => parseBucketRef(input, '1250000000')).toThrow(/Invalid bucket/)
  })
})
