import { describe, expect, it } from 'vitest'
import { RunRecorder } from '../../../main/functions/run-recorder.ts'

describe('run-log lines and the emulated clock', () => {
  it('stamps each user line with the same clock reading as the line’s time', () => {
    // A sped-up clock moves between any two readings: here by 600 ms each time it is read.
    let now = Date.UTC(2026, 11, 5, 14, 0, 0)
    const clock = (): number => (now += 600)
    const recorder = new RunRecorder('req-1', clock, 64)
    recorder.start()
    recorder.user('hello')
    recorder.user('x'.repeat(100)) // over the limit: the "[cos-local] … dropped" notice
    recorder.dropped(2)
    recorder.finish({ outcome: 'succeeded', durationMs: 3, memUsageBytes: 0, valueJson: '1', cold: false }, 128)
    const userLines = recorder.lines.filter((line) => /^\d{4}-\d\d-\d\dT/.test(line.text))
    expect(userLines.length).toBe(3)
    for (const line of userLines) {
      const stamp = line.text.split('\t')[0]!
      expect(stamp, line.text).toBe(new Date(line.time).toISOString())
    }
    // Lines keep their order on the clock: START first, Report last.
    const times = recorder.lines.map((line) => line.time)
    expect([...times].sort((a, b) => a - b)).toEqual(times)
  })
})
