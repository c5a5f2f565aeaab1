/**
 * One clock: with a sped-up emulated clock, the Date header, Last-Modified and the event time
 * of the same PUT all come from it (SDKs correct their clock skew from Date, so signatures
 * made in a browser then carry the emulated time).
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ManualClock } from '../../../main/core/clock.ts'
import { eventReader, startTestCosServer, type TestCosServer } from '../../helpers/cos-server.ts'

const START = Date.UTC(2031, 4, 6, 7, 8, 9)
let server: TestCosServer
const clock = new ManualClock(START)

beforeAll(async () => {
  server = await startTestCosServer({ clock })
})

afterAll(async () => {
  await server?.close()
})

it('Date, Last-Modified and the event time of a PUT come from the emulated clock', async () => {
  const events = eventReader(() => server.queue)
  await fetch(`${server.endpoint}/clock-1250000000`, { method: 'PUT' })
  const put = await fetch(`${server.endpoint}/clock-1250000000/a.txt`, { method: 'PUT', body: 'a' })
  expect(put.status).toBe(200)
  expect(Date.parse(put.headers.get('date')!)).toBe(START)
  const head = await fetch(`${server.endpoint}/clock-1250000000/a.txt`, { method: 'HEAD' })
  expect(head.headers.get('date')).toBe(head.headers.get('last-modified'))
  const event = events().find((entry) => entry.key === 'a.txt')
  expect(event).toBeDefined()
  expect(Math.floor(event!.time / 1000) * 1000).toBe(START)
  // Error answers carry the emulated Date too (the SDK reads it on RequestTimeTooSkewed).
  const missing = await fetch(`${server.endpoint}/clock-1250000000/none.txt`)
  expect(missing.status).toBe(404)
  expect(Date.parse(missing.headers.get('date')!)).toBe(START)
})
