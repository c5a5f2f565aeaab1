/**
 * Archive storage and POST Object restore (reference cos-scf.md §4.7).
 *
 * ARCHIVE and DEEP_ARCHIVE objects cannot be read or copied until restored. A restore job
 * takes the documented lower bound of its tier's duration on the emulated clock, then a
 * temporary copy stays readable for `Days` (expiring at 16:00 GMT, midnight Beijing time,
 * as COS's examples show). HEAD shows the job through x-cos-restore / x-cos-restore-status.
 */
import { CosError } from './errors.ts'
import { childNode, childText, unwrapRoot } from './xml-shape.ts'
import type { StorageClass } from './storage-class.ts'

export const RESTORE_TIERS = ['Expedited', 'Standard', 'Bulk'] as const
export type RestoreTier = (typeof RESTORE_TIERS)[number]

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Storage classes whose objects must be restored before GET or Copy. */
export function isArchiveClass(storageClass: string): boolean {
  return storageClass === 'ARCHIVE' || storageClass === 'DEEP_ARCHIVE' || storageClass === 'MAZ_ARCHIVE'
}

/** Tier durations: the lower bound COS documents for each (436/12633). */
const DURATIONS: Record<'ARCHIVE' | 'DEEP_ARCHIVE', Partial<Record<RestoreTier, number>>> = {
  ARCHIVE: { Expedited: 1 * MINUTE, Standard: 3 * HOUR, Bulk: 5 * HOUR },
  DEEP_ARCHIVE: { Standard: 12 * HOUR, Bulk: 24 * HOUR }
}

/** How long a restore job of `tier` takes for an object of `storageClass` (emulated ms). */
export function restoreDurationMs(storageClass: StorageClass | string, tier: RestoreTier): number {
  const table = storageClass === 'DEEP_ARCHIVE' ? DURATIONS.DEEP_ARCHIVE : DURATIONS.ARCHIVE
  const ms = table[tier]
  if (ms === undefined) {
    throw new CosError('InvalidArgument', `Objects in ${storageClass} cannot be restored with the ${tier} tier.`)
  }
  return ms
}

export interface RestoreRequest {
  days: number
  tier: RestoreTier
}

/**
 * Validate a parsed `<RestoreRequest>` body for an object of `storageClass`. Days ≥ 1;
 * Tier defaults to Standard (older docs mark CASJobParameters optional); Expedited is not
 * allowed for DEEP_ARCHIVE.
 */
export function parseRestoreRequest(body: unknown, storageClass: StorageClass | string): RestoreRequest {
  const root = unwrapRoot(body, 'RestoreRequest')
  if (!root) throw new CosError('MalformedXML', 'The request body must be a <RestoreRequest> element.')
  const daysText = childText(root, 'Days')
  if (daysText === undefined || daysText === '') {
    throw new CosError('InvalidArgument', 'RestoreRequest needs <Days>, the number of days the restored copy stays.')
  }
  const days = Number(daysText)
  if (!Number.isInteger(days) || days < 1) {
    throw new CosError('InvalidArgument', `<Days> must be a whole number of at least 1, got "${daysText}".`)
  }
  const tierText = childText(childNode(root, 'CASJobParameters'), 'Tier')
  let tier: RestoreTier = 'Standard'
  if (tierText !== undefined && tierText !== '') {
    const match = RESTORE_TIERS.find((t) => t.toLowerCase() === tierText.toLowerCase())
    if (!match) {
      throw new CosError('InvalidArgument', `<Tier> must be Expedited, Standard or Bulk, got "${tierText}".`)
    }
    tier = match
  }
  if (tier === 'Expedited' && storageClass === 'DEEP_ARCHIVE') {
    throw new CosError('InvalidArgument', 'Objects in DEEP_ARCHIVE cannot be restored in the Expedited mode.')
  }
  return { days, tier }
}

/** A restore's persisted state. `completedAt`/`expiresAt` are set when the job completes. */
export interface RestoreState {
  tier: RestoreTier
  days: number
  requestedAt: number
  /** When the job is due to complete (emulated epoch ms). */
  completesAt: number
  completedAt?: number
  /** When the temporary copy goes away (set on completion). */
  expiresAt?: number
}

export type RestorePhase = 'none' | 'ongoing' | 'restored'

/** Where a restore stands at `now`: an expired copy counts as none. */
export function restorePhase(state: RestoreState | undefined, now: number): RestorePhase {
  if (!state) return 'none'
  if (state.completedAt === undefined) return 'ongoing'
  return state.expiresAt !== undefined && now < state.expiresAt ? 'restored' : 'none'
}

const BEIJING_MIDNIGHT_UTC_HOUR = 16

/** `from + days`, rounded up to the next 16:00 GMT (midnight in Beijing). */
export function restoreExpiry(from: number, days: number): number {
  const target = from + days * DAY
  const date = new Date(target)
  let boundary = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), BEIJING_MIDNIGHT_UTC_HOUR)
  if (boundary < target) boundary += DAY
  return boundary
}

export type RestorePlan =
  /** A new job: 202 Accepted, ObjectRestore:Post now, ObjectRestore:Completed at completesAt. */
  | { kind: 'start'; state: RestoreState }
  /** Already restored: the copy's lifetime is reset to `days` from now (200 OK). */
  | { kind: 'extend'; state: RestoreState }

/**
 * Decide what a POST ?restore does. Throws 405 RestoreNonArchiveObject for a non-archive
 * object and 409 RestoreAlreadyInProgress while a job runs.
 */
export function planRestore(
  storageClass: StorageClass | string,
  current: RestoreState | undefined,
  request: RestoreRequest,
  now: number
): RestorePlan {
  if (!isArchiveClass(storageClass)) {
    throw new CosError(
      'RestoreNonArchiveObject',
      `The object is stored as ${storageClass}; only ARCHIVE and DEEP_ARCHIVE objects can be restored.`
    )
  }
  const phase = restorePhase(current, now)
  if (phase === 'ongoing') {
    throw new CosError('RestoreAlreadyInProgress', 'Object restore is already in progress.')
  }
  if (phase === 'restored' && current) {
    return { kind: 'extend', state: { ...current, days: request.days, expiresAt: restoreExpiry(now, request.days) } }
  }
  const duration = restoreDurationMs(storageClass === 'DEEP_ARCHIVE' ? 'DEEP_ARCHIVE' : 'ARCHIVE', request.tier)
  return {
    kind: 'start',
    state: { tier: request.tier, days: request.days, requestedAt: now, completesAt: now + duration }
  }
}

/** The state once the job has finished at `now`. */
export function completeRestore(state: RestoreState, now: number): RestoreState {
  return { ...state, completedAt: now, expiresAt: restoreExpiry(now, state.days) }
}

/** Whether GET / Copy may read an object of this class in this restore state. */
export function isReadable(storageClass: StorageClass | string, state: RestoreState | undefined, now: number): boolean {
  return !isArchiveClass(storageClass) || restorePhase(state, now) === 'restored'
}

/** Throw 403 InvalidObjectState when an archived object has no live restored copy. */
export function assertReadable(
  storageClass: StorageClass | string,
  state: RestoreState | undefined,
  now: number,
  operation: 'GET' | 'Copy' = 'GET'
): void {
  if (isReadable(storageClass, state, now)) return
  const ongoing = restorePhase(state, now) === 'ongoing'
  throw new CosError(
    'InvalidObjectState',
    `The object is stored as ${storageClass} and ${ongoing ? 'its restore is still in progress' : 'has not been restored'}; ` +
      `restore it (POST ?restore) before ${operation === 'GET' ? 'downloading' : 'copying'} it.`
  )
}

const httpDate = (ms: number) => new Date(ms).toUTCString()

/**
 * HEAD/GET headers describing a restore: in progress
 *   x-cos-restore: ongoing-request="true"
 *   x-cos-restore-status: tier="expedited"; request-date="Fri, 27 Dec 2019 08:19:29 GMT"
 * done
 *   x-cos-restore: ongoing-request="false", expiry-date="Mon, 13 Apr 2020 16:00:00 GMT"
 */
export function restoreHeaders(state: RestoreState | undefined, now: number): Record<string, string> {
  const phase = restorePhase(state, now)
  if (!state || phase === 'none') return {}
  if (phase === 'ongoing') {
    return {
      'x-cos-restore': 'ongoing-request="true"',
      'x-cos-restore-status': `tier="${state.tier.toLowerCase()}"; request-date="${httpDate(state.requestedAt)}"`
    }
  }
  return { 'x-cos-restore': `ongoing-request="false", expiry-date="${httpDate(state.expiresAt ?? now)}"` }
}
