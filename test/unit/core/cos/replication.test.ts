import { XMLBuilder, XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { CosError } from '../../../../main/core/cos/errors.ts'
import {
  decideReplication,
  matchReplicationRule,
  parseDestinationBucket,
  parseReplicationConfiguration,
  replicationConfigurationXml
} from '../../../../main/core/cos/replication.ts'

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false })

const XML = `<ReplicationConfiguration>
  <Role>qcs::cam::uin/100000000001:uin/100000000001</Role>
  <Rule><ID>logs</ID><Status>Enabled</Status><Prefix>logs/</Prefix>
    <Destination><Bucket>qcs::cos:ap-chengdu::backup-1250000000</Bucket><StorageClass>Standard_IA</StorageClass></Destination>
    <DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication></Rule>
  <Rule><ID>all</ID><Status>Enabled</Status><Prefix></Prefix>
    <Destination><Bucket>qcs::cos:ap-chengdu::backup-1250000000</Bucket></Destination></Rule>
  <Rule><ID>off</ID><Status>Disabled</Status><Prefix>tmp/</Prefix>
    <Destination><Bucket>qcs::cos:ap-chengdu::backup-1250000000</Bucket></Destination></Rule>
</ReplicationConfiguration>`

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    if (error instanceof CosError) return error.code
    throw error
  }
  return undefined
}

describe('replication configuration', () => {
  it('parses rules, destination and options', () => {
    const config = parseReplicationConfiguration(parser.parse(XML))
    expect(config.role).toBe('qcs::cam::uin/100000000001:uin/100000000001')
    expect(config.rules).toHaveLength(3)
    expect(config.rules[0]).toEqual({
      id: 'logs',
      enabled: true,
      prefix: 'logs/',
      destination: {
        bucket: 'backup-1250000000',
        region: 'ap-chengdu',
        storageClass: 'STANDARD_IA',
        resource: 'qcs::cos:ap-chengdu::backup-1250000000'
      },
      deleteMarkerReplication: true
    })
    expect(config.rules[1].deleteMarkerReplication).toBe(false)
    expect(config.rules[2].enabled).toBe(false)
  })

  it('round-trips through its XML form', () => {
    const config = parseReplicationConfiguration(parser.parse(XML))
    const xml = new XMLBuilder({}).build({ ReplicationConfiguration: replicationConfigurationXml(config) })
    expect(parseReplicationConfiguration(parser.parse(xml))).toEqual(config)
  })

  it('reads both destination resource forms', () => {
    expect(parseDestinationBucket('qcs::cos:ap-guangzhou::dest-1250000000')).toEqual({
      region: 'ap-guangzhou',
      bucket: 'dest-1250000000'
    })
    expect(parseDestinationBucket('qcs:id/0:cos:ap-chengdu:appid/1250000000:backup')).toEqual({
      region: 'ap-chengdu',
      bucket: 'backup-1250000000'
    })
    expect(parseDestinationBucket('qcs:id/0:cos:ap-chengdu:appid/1250000000:backup-1250000000')).toEqual({
      region: 'ap-chengdu',
      bucket: 'backup-1250000000'
    })
    expect(codeOf(() => parseDestinationBucket('backup-1250000000'))).toBe('InvalidArgument')
  })

  it('rejects bad configurations', () => {
    const base = {
      Role: 'r',
      Rule: { Status: 'Enabled', Prefix: '', Destination: { Bucket: 'qcs::cos:ap-guangzhou::d-1250000000' } }
    }
    const wrap = (over: object) => ({ ReplicationConfiguration: { ...base, ...over } })
    expect(codeOf(() => parseReplicationConfiguration(wrap({})))).toBeUndefined()
    expect(codeOf(() => parseReplicationConfiguration(wrap({ Role: '' })))).toBe('InvalidArgument')
    expect(codeOf(() => parseReplicationConfiguration(wrap({ Rule: { ...base.Rule, Status: 'On' } })))).toBe(
      'InvalidArgument'
    )
    expect(codeOf(() => parseReplicationConfiguration(wrap({ Rule: { ...base.Rule, Destination: {} } })))).toBe(
      'InvalidArgument'
    )
    expect(
      codeOf(() =>
        parseReplicationConfiguration(
          wrap({
            Rule: { ...base.Rule, Destination: { Bucket: 'qcs::cos:ap-guangzhou::d-1250000000', StorageClass: 'COLD' } }
          })
        )
      )
    ).toBe('InvalidArgument')
    const twoTargets = [base.Rule, { ...base.Rule, Destination: { Bucket: 'qcs::cos:ap-guangzhou::e-1250000000' } }]
    expect(codeOf(() => parseReplicationConfiguration(wrap({ Rule: twoTargets })))).toBe('InvalidArgument')
    expect(codeOf(() => parseReplicationConfiguration({ Other: {} }))).toBe('MalformedXML')
  })
})

describe('what is replicated', () => {
  const config = parseReplicationConfiguration(parser.parse(XML))
  it('matches the first enabled rule by prefix', () => {
    expect(matchReplicationRule(config, 'logs/a')?.id).toBe('logs')
    expect(matchReplicationRule(config, 'tmp/a')?.id).toBe('all')
  })
  const table: [string, Parameters<typeof decideReplication>[1], boolean][] = [
    ['a new object', { kind: 'object', key: 'a.txt', storageClass: 'STANDARD', causedBy: 'client' }, true],
    ['an ARCHIVE object', { kind: 'object', key: 'a.txt', storageClass: 'ARCHIVE', causedBy: 'client' }, false],
    [
      'a DEEP_ARCHIVE object',
      { kind: 'object', key: 'a.txt', storageClass: 'DEEP_ARCHIVE', causedBy: 'client' },
      false
    ],
    [
      'a replica (not transitive)',
      { kind: 'object', key: 'a.txt', storageClass: 'STANDARD', causedBy: 'replication' },
      false
    ],
    ['a lifecycle change', { kind: 'object', key: 'a.txt', storageClass: 'STANDARD', causedBy: 'lifecycle' }, false],
    ['a delete marker under a syncing rule', { kind: 'delete-marker', key: 'logs/x', causedBy: 'client' }, true],
    ['a delete marker under a non-syncing rule', { kind: 'delete-marker', key: 'x', causedBy: 'client' }, false],
    ['a delete naming a versionId', { kind: 'version-delete', key: 'logs/x' }, false]
  ]
  for (const [name, change, expected] of table) {
    it(`${name} → ${expected ? 'replicated' : 'not replicated'}`, () => {
      const decision = decideReplication(config, change)
      expect(decision.replicate).toBe(expected)
      if (!decision.replicate) expect(decision.reason).not.toBe('')
    })
  }
  it('replicas take the rule’s storage class', () => {
    const decision = decideReplication(config, {
      kind: 'object',
      key: 'logs/a',
      storageClass: 'STANDARD',
      causedBy: 'client'
    })
    expect(decision).toMatchObject({ replicate: true, storageClass: 'STANDARD_IA' })
  })
  it('no configuration → nothing replicated', () => {
    expect(
      decideReplication(undefined, { kind: 'object', key: 'a', storageClass: 'STANDARD', causedBy: 'client' }).replicate
    ).toBe(false)
  })
})
