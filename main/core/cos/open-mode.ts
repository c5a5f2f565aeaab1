/**
 * Open mode (no credentials: every request accepted) is for one machine. Bound to any
 * address other than loopback (`--host 0.0.0.0`, a LAN address), COS Local needs a key pair
 * unless the user says, knowing what it means, that open mode is what they want.
 */
import { isLoopbackName } from './host-check.ts'

export interface ExposureInput {
  host: string
  hasCredentials: boolean
  allowOpen: boolean
}

/** undefined when the listener setup is fine; otherwise the reason it is refused. */
export function openModeRefusal({ host, hasCredentials, allowOpen }: ExposureInput): string | undefined {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
  if (hasCredentials || allowOpen || isLoopbackName(name)) return undefined
  const where = name === '0.0.0.0' || name === '::' ? 'every network interface' : `the address ${host}`
  return (
    `--host ${host} binds ${where}, so other machines can reach the COS API; without credentials ` +
    `(open mode) anyone who can reach it can read, overwrite and delete every object and trigger your ` +
    `functions. Give --secret-id ID --secret-key KEY (clients then sign their requests), or add ` +
    `--allow-open if an open shared instance is really what you want.`
  )
}
