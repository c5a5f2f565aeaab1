import { describe, expect, it } from 'vitest'
import { aggregateStatus, causingRequest } from '../../../../main/core/events/event-history.ts'
import { buildTimeline, logMessage, logTone } from '../../../../main/core/events/timeline.ts'
import { resultWithoutTrace } from '../../../../main/core/functions/run-log.ts'
import { renderText } from '../../../../main/core/text.ts'
import { faultRuleProblem, NO_FAULT, takeFault } from '../../../../main/core/functions/fault-injection.ts'

describe('event status from its deliveries', () => {
  it.each([
    [[], 'unmatched'],
    [['succeeded'], 'succeeded'],
    [['succeeded', 'running'], 'in-flight'],
    [['retrying'], 'in-flight'],
    [['succeeded', 'failed'], 'failed'],
    [['failed', 'dead-lettered', 'pending'], 'dead-lettered']
  ] as const)('%j → %s', (statuses, expected) => {
    expect(aggregateStatus(statuses)).toBe(expected)
  })
})

describe('the request that caused an event', () => {
  it.each([
    ['cos:ObjectCreated:Put', 'PUT', '/b-1250000000/a%20b/c.txt', 200],
    ['cos:ObjectRemove:Delete', 'DELETE', '/b-1250000000/a%20b/c.txt', 204],
    ['cos:ObjectCreated:Post', 'POST', '/b-1250000000/', 204],
    ['cos:ObjectRestore:Post', 'POST', '/b-1250000000/a%20b/c.txt?restore', 202]
  ])('%s', (name, method, path, status) => {
    expect(causingRequest({ name, bucket: 'b-1250000000', key: 'a b/c.txt' })).toMatchObject({ method, path, status })
  })
})

describe('fault rules', () => {
  it('consumes timeouts, then failures, and keeps latency', () => {
    let rule = { failNext: 1, timeoutNext: 1, latencyMs: 20 }
    const actions: string[] = []
    for (let i = 0; i < 3; i++) {
      const decision = takeFault(rule)
      actions.push(`${decision.action}/${decision.latencyMs}`)
      rule = decision.next
    }
    expect(actions).toEqual(['timeout/20', 'fail/20', 'none/20'])
    expect(takeFault(NO_FAULT).action).toBe('none')
  })

  it('rejects impossible rules', () => {
    expect(faultRuleProblem({ failNext: -1 })).toMatch(/failNext/)
    expect(faultRuleProblem({ latencyMs: 1.5 })).toMatch(/latencyMs/)
    expect(faultRuleProblem({ failNext: 3, latencyMs: 100 })).toBeUndefined()
  })
})

describe('timeline', () => {
  const event = { seq: 7, time: 1000, name: 'cos:ObjectCreated:Put', bucket: 'b-1', key: 'k', requestId: 'cos-req' }
  const attempt = (n: number, start: number, outcome: string, injected: string | null = null) => ({
    attempt: n,
    startedAt: start,
    finishedAt: start + 10,
    outcome,
    durationMs: 10,
    message: outcome === 'succeeded' ? null : 'boom',
    injected
  })

  it('orders request, event, delivery, attempts with retries, logs and the dead letter in time', () => {
    const entries = buildTimeline(
      [event],
      [
        {
          requestId: 'scf-1',
          functionName: 'f',
          eventSeq: 7,
          source: 'trigger',
          replayOf: null,
          status: 'dead-lettered',
          createdAt: 1000,
          finishedAt: 181_020,
          nextAttemptAt: null,
          attempts: [attempt(1, 1001, 'error', 'fail'), attempt(2, 61_011, 'error'), attempt(3, 181_010, 'error')],
          logs: [{ time: 1002, text: 'START RequestId:scf-1', attempt: 1 }]
        }
      ]
    )
    expect(entries.map((entry) => entry.kind)).toEqual([
      'request',
      'event',
      'delivery',
      'attempt',
      'log',
      'retry',
      'attempt',
      'retry',
      'attempt',
      'dead-letter'
    ])
    expect(entries[3]!.injected).toBe(true)
    expect(entries[0]!.title).toBe('PUT /b-1/k → 200')
    // Our words go as messages (the UI translates them) beside the English the CLI prints.
    expect(entries[3]!.title).toBe('Attempt 1: error (injected)')
    expect(entries[3]!.titleText).toEqual({
      text: 'Attempt {attempt}: {outcome} (injected)',
      params: { attempt: 1, outcome: { text: 'error' } }
    })
    expect(entries[5]!.title).toBe('Retry 1 of f')
    expect(entries[5]!.titleText).toEqual({ text: 'Retry {retry} of {function}', params: { retry: 1, function: 'f' } })
    expect(entries[2]!.detail).toBe('RequestId scf-1 · dead-lettered')
    expect(entries.at(-1)!.detailText).toEqual({
      text: '{function}: retries exhausted; redrive it from the dead-letter list',
      params: { function: 'f' }
    })
    for (const entry of entries) if (entry.titleText) expect(renderText(entry.titleText)).toBe(entry.title)
  })

  it('puts log lines on the attempt’s clock: at their stamp, without a second (UTC) copy of it', () => {
    const start = Date.UTC(2026, 11, 5, 14, 0, 0)
    const stamp = (ms: number): string => new Date(ms).toISOString()
    const logs = [
      { time: start + 5, text: 'START RequestId:scf-2', attempt: 1 },
      { time: start + 6, text: `${stamp(start + 6)}\tscf-2\tReceived event`, attempt: 1 },
      { time: start + 8, text: `${stamp(start + 8)}\tscf-2\tERROR\tmulti\nline`, attempt: 1 },
      { time: start + 9, text: 'Report RequestId:scf-2 Duration:4ms', attempt: 1 }
    ]
    const entries = buildTimeline(
      [],
      [
        {
          requestId: 'scf-2',
          functionName: 'f',
          eventSeq: null,
          source: 'test',
          replayOf: null,
          status: 'succeeded',
          createdAt: start,
          finishedAt: start + 10,
          nextAttemptAt: null,
          attempts: [attempt(1, start + 4, 'succeeded')],
          logs
        }
      ]
    )
    const attemptEntry = entries.find((entry) => entry.kind === 'attempt')!
    const logEntries = entries.filter((entry) => entry.kind === 'log')
    expect(logEntries.map((entry) => entry.title)).toEqual([
      'START RequestId:scf-2',
      'Received event',
      'ERROR\tmulti\nline',
      'Report RequestId:scf-2 Duration:4ms'
    ])
    for (const [i, entry] of logEntries.entries()) {
      expect(entry.time).toBe(logs[i]!.time)
      expect(entry.time).toBeGreaterThanOrEqual(attemptEntry.time)
      expect(entry.time).toBeLessThanOrEqual(attemptEntry.time + attemptEntry.durationMs)
    }
    expect(logEntries[2]!.tone).toBe('error')
    expect(logMessage('no stamp here')).toBe('no stamp here')
  })

  it("shows an attempt's SCF error Result without its stack trace (its ERROR log line has it)", () => {
    const result = { errorCode: 1, errorMessage: 'boom', stackTrace: 'Error: boom\n    at main_handler (index.js:1:1)' }
    expect(resultWithoutTrace(JSON.stringify(result))).toBe('{"errorCode":1,"errorMessage":"boom"}')
    for (const message of ['boom', 'Timeout: the function ran over 3 s', '{not json', '{"errorCode":1}', '[1]'])
      expect(resultWithoutTrace(message), message).toBe(message)
    const entries = buildTimeline(
      [event],
      [
        {
          requestId: 'scf-3',
          functionName: 'f',
          eventSeq: 7,
          source: 'trigger',
          replayOf: null,
          status: 'failed',
          createdAt: 1000,
          finishedAt: 1011,
          nextAttemptAt: null,
          attempts: [{ ...attempt(1, 1001, 'error'), message: JSON.stringify(result) }],
          logs: []
        }
      ]
    )
    expect(entries.find((entry) => entry.kind === 'attempt')!.detail).toBe(
      '10 ms · {"errorCode":1,"errorMessage":"boom"}'
    )
  })

  it('marks ERROR and Report lines', () => {
    expect(logTone('ERROR RequestId:x Result:{}')).toBe('error')
    expect(logTone('Report RequestId:x Duration:1ms')).toBe('muted')
    expect(logTone('2026-01-01T00:00:00.000Z\tx\thello')).toBe('info')
  })
})
