import { describe, expect, it } from 'vitest'
import { explainMatch, matchingRules, withReasonTexts } from '../../../../main/core/events/matching.ts'
import { renderText } from '../../../../main/core/text.ts'
import { objectEvent, rule } from './fixtures.ts'

describe('matching and explanations', () => {
  const put = objectEvent('cos:ObjectCreated:Put', { key: 'img/cat.jpg' })

  it.each([
    [{}, true, []],
    [{ prefix: 'img/' }, true, []],
    [{ prefix: 'doc/' }, false, ['prefix']],
    [{ suffix: '.png' }, false, ['suffix']],
    [{ enabled: false }, false, ['enabled']],
    [{ bucket: 'other-1250000000' }, false, ['bucket']],
    [{ event: 'cos:ObjectRemove:*' }, false, ['event']],
    [
      { event: 'cos:ObjectCreated:Copy', prefix: 'x/', suffix: '.gif', enabled: false },
      false,
      ['event', 'prefix', 'suffix', 'enabled']
    ]
  ] as const)('%j → matched %s, failed %j', (partial, matched, failed) => {
    const explanation = explainMatch(rule(partial), put, 'ap-guangzhou')
    expect(explanation.matched).toBe(matched)
    expect(explanation.failed).toEqual(failed)
    expect(explanation.reasons).toHaveLength(failed.length)
  })

  it('reports a region mismatch', () => {
    const explanation = explainMatch(
      rule(),
      objectEvent('cos:ObjectCreated:Put', { region: 'ap-beijing' }),
      'ap-guangzhou'
    )
    expect(explanation.failed).toEqual(['region'])
    expect(explanation.reasons[0]).toMatch(/same region/)
  })

  it('says what the prefix was', () => {
    const explanation = explainMatch(rule({ prefix: 'doc/' }), put, 'ap-guangzhou')
    expect(explanation.reasons[0]).toBe('key "img/cat.jpg" does not start with prefix "doc/"')
  })

  it('gives the reasons as messages with their values, which read as the English reasons', () => {
    const explanation = explainMatch(rule({ prefix: 'doc/', enabled: false }), put, 'ap-guangzhou')
    const { texts } = withReasonTexts(explanation, put, 'ap-guangzhou')
    expect(texts).toEqual([
      { text: 'key {key} does not start with prefix {prefix}', params: { key: '"img/cat.jpg"', prefix: '"doc/"' } },
      { text: 'the trigger is disabled' }
    ])
    expect(texts!.map(renderText)).toEqual(explanation.reasons)
    // A record from before the trigger was kept: English reasons only.
    expect(withReasonTexts({ ...explanation, rule: undefined }, put, 'ap-guangzhou')).not.toHaveProperty('texts')
  })

  it('selects every matching rule', () => {
    const rules = [
      rule({ id: 'a', prefix: 'img/' }),
      rule({ id: 'b', suffix: '.png' }),
      rule({ id: 'c', event: 'cos:ObjectCreated:Put' })
    ]
    expect(matchingRules(rules, put, 'ap-guangzhou').map((r) => r.id)).toEqual(['a', 'c'])
  })
})
