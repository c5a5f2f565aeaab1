import { describe, expect, it } from 'vitest'
import {
  endLine,
  errorLine,
  formatRetMsg,
  reportLine,
  responseLine,
  startLine,
  userLine
} from '../../../../main/core/functions/run-log.ts'
import { cosTestTemplate, listTestTemplates } from '../../../../main/core/functions/test-templates.ts'

const id = '09c346d3-8417-49c5-8569-c55033b17f51'

describe('SCF run-log lines', () => {
  it('formats every line kind', () => {
    expect(startLine(id)).toBe(`START RequestId:${id}`)
    expect(userLine(Date.UTC(2020, 2, 18, 9, 16, 13, 440), id, 'Hello World')).toBe(
      `2020-03-18T09:16:13.440Z\t${id}\tHello World`
    )
    expect(responseLine(id, 'Hello World')).toBe(`Response RequestId:${id} RetMsg:"Hello World"`)
    expect(responseLine(id, { a: 1 })).toBe(`Response RequestId:${id} RetMsg:{"a":1}`)
    expect(responseLine(id, undefined)).toBe(`Response RequestId:${id} RetMsg:null`)
    expect(errorLine(id, 'boom')).toBe(`ERROR RequestId:${id} Result:boom`)
    expect(endLine(id)).toBe(`END RequestId:${id}`)
    expect(reportLine(id, 1.4, 128, 29.734375 * 1024 * 1024)).toBe(
      `Report RequestId:${id} Duration:1ms Memory:128MB MemUsage:29.73MB`
    )
  })

  it('survives values JSON cannot encode', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(formatRetMsg(cyclic)).toBe('"[object Object]"')
    expect(formatRetMsg(10n)).toBe('"10"')
  })
})

describe('COS test templates', () => {
  it('offers one template per seed event type', () => {
    expect(listTestTemplates().map((t) => t.id)).toHaveLength(12)
  })

  it('uses the SCF sample values by default', () => {
    const record = cosTestTemplate('cos:ObjectCreated:Put', {
      appid: '1253970026',
      region: 'ap-guangzhou',
      now: 1545205770000
    }).Records[0]!
    expect(record.cos.cosObject.key).toBe('/1253970026/testpic/testfile')
    expect(record.cos.cosBucket).toEqual({ region: 'gz', name: 'testpic', appid: '1253970026' })
    expect(record.event.eventName).toBe('cos:ObjectCreated:Put')
    expect(record.event.eventTime).toBe(1545205770)
    expect(record.cos.cosNotificationId).toBe('unkown')
  })

  it('fills a real bucket and key, and keeps a wildcard name', () => {
    const record = cosTestTemplate('cos:ObjectRemove:*', {
      appid: '1250000000',
      region: 'ap-guangzhou',
      bucket: 'photos-1250000000',
      key: 'a/b.jpg',
      now: 0
    }).Records[0]!
    expect(record.cos.cosObject.key).toBe('/1250000000/photos/a/b.jpg')
    expect(record.cos.cosObject.size).toBe(0)
    expect(record.event.eventName).toBe('cos:ObjectRemove:*')
  })
})
