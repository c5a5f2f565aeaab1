import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONCRETE_EVENT_NAMES } from '../../../../main/core/events/object-event.ts'
import { buildScfCosEvent, objectUrl } from '../../../../main/core/events/scf-cos-event.ts'
import { objectEvent } from './fixtures.ts'

const goldenDir = join(import.meta.dirname, '..', '..', 'golden', 'scf-cos-events')
const target = {
  appid: '1250000000',
  namespace: 'default',
  functionName: 'printevent',
  qualifier: '$LATEST',
  functionRegion: 'ap-guangzhou',
  reqid: 179398952,
  notificationId: 'trg-1'
}

describe('SCF COS event JSON', () => {
  it.each(CONCRETE_EVENT_NAMES)('%s matches its golden file', (name) => {
    const versioned = name === 'cos:ObjectRemove:DeleteMarkerCreated'
    const event = objectEvent(name, {
      versionId: versioned ? 'MTg0NDUxNTc1NjIzMTQ1MDAwODg' : '',
      size: name.startsWith('cos:ObjectRemove') ? 0 : 1029
    })
    const json = JSON.stringify(buildScfCosEvent(event, target), null, 2) + '\n'
    const file = join(goldenDir, `${name.replaceAll(':', '_')}.json`)
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, json)
    expect(json).toBe(readFileSync(file, 'utf8'))
  })

  it('has the shape of the official sample', () => {
    const record = buildScfCosEvent(objectEvent('cos:ObjectCreated:Put'), target).Records[0]!
    expect(record.cos.cosBucket).toEqual({ region: 'gz', name: 'photos', appid: '1250000000' })
    expect(record.cos.cosObject.key).toBe('/1250000000/photos/img/cat.jpg')
    expect(record.cos.cosObject.url).toBe('http://photos-1250000000.cos.ap-guangzhou.myqcloud.com/img/cat.jpg')
    expect(Object.keys(record.cos.cosObject.meta)).toEqual(['x-cos-request-id', 'Content-Type', 'x-cos-meta-mykey'])
    expect(record.event.eventTime).toBe(1545205770)
    expect(Number.isInteger(record.event.reqid)).toBe(true)
    expect(record.event.eventQueue).toBe('qcs:0:scf:gz:appid/1250000000:default.printevent.$LATEST')
    expect(record.event.eventName).toBe('cos:ObjectCreated:Put')
    expect(record.event.reservedInfo).toBe('')
  })

  it('uses the long name for regions without a short code', () => {
    const record = buildScfCosEvent(objectEvent('cos:ObjectCreated:Put', { region: 'ap-tokyo' }), target).Records[0]!
    expect(record.cos.cosBucket.region).toBe('ap-tokyo')
  })

  it('fills Content-Type with "" when the object has none', () => {
    const record = buildScfCosEvent(objectEvent('cos:ObjectCreated:Put', { meta: {} }), target).Records[0]!
    expect(record.cos.cosObject.meta).toEqual({
      'x-cos-request-id': 'NWMxOWY4MGFfMjViMjU4NjRfMTUyMV8yNzhhZjM=',
      'Content-Type': ''
    })
  })

  it('encodes the key in the url but not in cosObject.key', () => {
    expect(objectUrl('b-1', 'ap-guangzhou', 'a b/中文.txt')).toBe(
      'http://b-1.cos.ap-guangzhou.myqcloud.com/a%20b/%E4%B8%AD%E6%96%87.txt'
    )
    const record = buildScfCosEvent(objectEvent('cos:ObjectCreated:Put', { key: 'a b/中文.txt' }), target).Records[0]!
    expect(record.cos.cosObject.key).toBe('/1250000000/photos/a b/中文.txt')
  })
})
