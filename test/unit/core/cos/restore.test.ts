import { describe, expect, it } from 'vitest'
import { CosError } from '../../../../main/core/cos/errors.ts'
import {
  assertReadable,
  completeRestore,
  isArchiveClass,
  parseRestoreRequest,
  planRestore,
  restoreDurationMs,
  restoreExpiry,
  restoreHeaders,
  restorePhase
} from '../../../../main/core/cos/restore.ts'
import { parseStorageClass } from '../../../../main/core/cos/storage-class.ts'

const NOW = Date.UTC(2026, 0, 1, 8, 19, 29)
const MIN = 60_000
const HOUR = 60 * MIN

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    if (error instanceof CosError) return `${error.status} ${error.code}`
    throw error
  }
  return undefined
}

const body = (days: unknown, tier?: string) => ({
  RestoreRequest: { Days: days, ...(tier === undefined ? {} : { CASJobParameters: { Tier: tier } }) }
})

describe('storage classes', () => {
  it('parses case-insensitively, defaults to STANDARD, rejects unknown names', () => {
    expect(parseStorageClass(undefined)).toBe('STANDARD')
    expect(parseStorageClass('Standard_IA')).toBe('STANDARD_IA')
    expect(parseStorageClass('maz_standard')).toBe('MAZ_STANDARD')
    expect(codeOf(() => parseStorageClass('COLD'))).toBe('400 InvalidArgument')
  })
  it('knows which classes are archives', () => {
    expect(['ARCHIVE', 'DEEP_ARCHIVE'].every(isArchiveClass)).toBe(true)
    expect(['STANDARD', 'STANDARD_IA', 'INTELLIGENT_TIERING', 'MAZ_STANDARD'].some(isArchiveClass)).toBe(false)
  })
})

describe('RestoreRequest', () => {
  it('reads Days and Tier (case-insensitive), Tier defaults to Standard', () => {
    expect(parseRestoreRequest(body('1', 'Expedited'), 'ARCHIVE')).toEqual({ days: 1, tier: 'Expedited' })
    expect(parseRestoreRequest(body(3, 'bulk'), 'DEEP_ARCHIVE')).toEqual({ days: 3, tier: 'Bulk' })
    expect(parseRestoreRequest(body('7'), 'ARCHIVE')).toEqual({ days: 7, tier: 'Standard' })
  })
  it('rejects bad Days, unknown tiers, Expedited for DEEP_ARCHIVE', () => {
    for (const days of ['0', '-1', '1.5', 'x', '', undefined]) {
      expect(codeOf(() => parseRestoreRequest(body(days, 'Standard'), 'ARCHIVE'))).toBe('400 InvalidArgument')
    }
    expect(codeOf(() => parseRestoreRequest(body('1', 'Fast'), 'ARCHIVE'))).toBe('400 InvalidArgument')
    expect(codeOf(() => parseRestoreRequest(body('1', 'Expedited'), 'DEEP_ARCHIVE'))).toBe('400 InvalidArgument')
    expect(codeOf(() => parseRestoreRequest({ Other: {} }, 'ARCHIVE'))).toBe('400 MalformedXML')
  })
})

describe('tier durations (documented lower bounds)', () => {
  const table: [string, 'Expedited' | 'Standard' | 'Bulk', number][] = [
    ['ARCHIVE', 'Expedited', 1 * MIN],
    ['ARCHIVE', 'Standard', 3 * HOUR],
    ['ARCHIVE', 'Bulk', 5 * HOUR],
    ['DEEP_ARCHIVE', 'Standard', 12 * HOUR],
    ['DEEP_ARCHIVE', 'Bulk', 24 * HOUR]
  ]
  for (const [cls, tier, ms] of table) {
    it(`${cls} ${tier} = ${ms / MIN} min`, () => expect(restoreDurationMs(cls, tier)).toBe(ms))
  }
})

describe('restore lifecycle', () => {
  it('non-archive → 405 RestoreNonArchiveObject', () => {
    expect(codeOf(() => planRestore('STANDARD', undefined, { days: 1, tier: 'Standard' }, NOW))).toBe(
      '405 RestoreNonArchiveObject'
    )
  })

  it('start → ongoing headers → 409 while running → completes → restored → expires after Days', () => {
    const plan = planRestore('ARCHIVE', undefined, { days: 2, tier: 'Expedited' }, NOW)
    expect(plan.kind).toBe('start')
    const ongoing = plan.state
    expect(ongoing.completesAt).toBe(NOW + MIN)
    expect(restorePhase(ongoing, NOW + 30_000)).toBe('ongoing')
    expect(codeOf(() => assertReadable('ARCHIVE', ongoing, NOW))).toBe('403 InvalidObjectState')
    expect(restoreHeaders(ongoing, NOW)).toEqual({
      'x-cos-restore': 'ongoing-request="true"',
      'x-cos-restore-status': 'tier="expedited"; request-date="Thu, 01 Jan 2026 08:19:29 GMT"'
    })
    expect(codeOf(() => planRestore('ARCHIVE', ongoing, { days: 1, tier: 'Standard' }, NOW + 1))).toBe(
      '409 RestoreAlreadyInProgress'
    )

    const done = completeRestore(ongoing, ongoing.completesAt)
    expect(done.expiresAt).toBe(Date.UTC(2026, 0, 3, 16))
    expect(restorePhase(done, NOW + HOUR)).toBe('restored')
    expect(() => assertReadable('ARCHIVE', done, NOW + HOUR, 'Copy')).not.toThrow()
    expect(restoreHeaders(done, NOW + HOUR)).toEqual({
      'x-cos-restore': 'ongoing-request="false", expiry-date="Sat, 03 Jan 2026 16:00:00 GMT"'
    })

    const later = done.expiresAt! + 1
    expect(restorePhase(done, later)).toBe('none')
    expect(restoreHeaders(done, later)).toEqual({})
    expect(codeOf(() => assertReadable('ARCHIVE', done, later))).toBe('403 InvalidObjectState')
    expect(planRestore('ARCHIVE', done, { days: 1, tier: 'Bulk' }, later).kind).toBe('start')
  })

  it('restoring a restored object extends the copy', () => {
    const done = completeRestore(
      planRestore('ARCHIVE', undefined, { days: 1, tier: 'Expedited' }, NOW).state,
      NOW + MIN
    )
    const plan = planRestore('ARCHIVE', done, { days: 10, tier: 'Standard' }, NOW + 2 * MIN)
    expect(plan.kind).toBe('extend')
    expect(plan.state.expiresAt).toBe(Date.UTC(2026, 0, 11, 16))
  })

  it('expiry rounds up to 16:00 GMT', () => {
    expect(restoreExpiry(Date.UTC(2026, 0, 1, 15, 0), 1)).toBe(Date.UTC(2026, 0, 2, 16))
    expect(restoreExpiry(Date.UTC(2026, 0, 1, 16, 0), 1)).toBe(Date.UTC(2026, 0, 2, 16))
    expect(restoreExpiry(Date.UTC(2026, 0, 1, 17, 0), 1)).toBe(Date.UTC(2026, 0, 3, 16))
  })

  it('non-archive objects are always readable', () => {
    expect(() => assertReadable('STANDARD_IA', undefined, NOW)).not.toThrow()
  })
})
