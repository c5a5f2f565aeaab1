/**
 * Saved connections to other COS endpoints, with their secrets, in `<data>/connections.json`
 * (mode 0600, written atomically). Secrets can be sealed by a cipher (the desktop app may pass
 * one over Electron's safeStorage, the OS keychain); without one they are kept as text in the
 * private file. Nothing here returns a secret in full except `secretsOf`, which only the
 * signer uses.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ConnectionInfo, CreateConnectionRequest } from '../../preload/contract/connections.ts'
import { writeSecretFile } from '../store/private-files.ts'

/** Encrypts secrets at rest (e.g. Electron safeStorage); identity when absent. */
export interface SecretCipher {
  readonly name: string
  seal(text: string): string
  open(sealed: string): string
}

interface StoredConnection {
  id: string
  name: string
  kind: 'tencent' | 'custom'
  region: string
  endpoint: string
  secretId: string
  /** Sealed by `cipher` when one was given (see `sealedBy`). */
  secretKey: string
  sessionToken: string
  sealedBy: string
  createdAt: number
}

export interface ConnectionSecrets {
  secretId: string
  secretKey: string
  sessionToken?: string
}

export class ConnectionError extends Error {
  readonly status: number
  constructor(
    readonly code: string,
    message: string,
    status = 400
  ) {
    super(message)
    this.status = status
  }
}

export function mask(text: string): string {
  if (text.length <= 8) return '•'.repeat(text.length)
  return `${text.slice(0, 4)}${'•'.repeat(4)}${text.slice(-4)}`
}

export class ConnectionStore {
  readonly #file: string
  readonly #cipher: SecretCipher | undefined

  constructor(dataDir: string, cipher?: SecretCipher) {
    this.#file = join(dataDir, 'connections.json')
    this.#cipher = cipher
  }

  list(): ConnectionInfo[] {
    return this.#read().map(toInfo)
  }

  create(input: CreateConnectionRequest, now: number): ConnectionInfo {
    const endpoint = (input.endpoint ?? '').trim().replace(/\/+$/, '')
    if (input.kind === 'custom') {
      let url: URL | undefined
      try {
        url = new URL(endpoint)
      } catch {
        url = undefined
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/') {
        throw new ConnectionError(
          'InvalidEndpoint',
          `A custom endpoint is a URL such as http://192.168.1.20:9500, got "${endpoint}"`
        )
      }
    }
    const seal = (text: string) => (this.#cipher && text ? this.#cipher.seal(text) : text)
    const stored: StoredConnection = {
      id: `conn-${randomBytes(4).toString('hex')}`,
      name: input.name.trim(),
      kind: input.kind,
      region: input.region,
      endpoint: input.kind === 'custom' ? endpoint : '',
      secretId: input.secretId.trim(),
      secretKey: seal(input.secretKey),
      sessionToken: seal(input.sessionToken?.trim() ?? ''),
      sealedBy: this.#cipher?.name ?? '',
      createdAt: now
    }
    this.#write([...this.#read(), stored])
    return toInfo(stored)
  }

  remove(id: string): void {
    const all = this.#read()
    if (!all.some((item) => item.id === id)) throw notFound(id)
    this.#write(all.filter((item) => item.id !== id))
  }

  /** The secrets of a connection, for signing on this side only. */
  secretsOf(id: string): ConnectionSecrets & { endpoint: string } {
    const found = this.#read().find((item) => item.id === id)
    if (!found) throw notFound(id)
    const open = (text: string): string => {
      if (!found.sealedBy || !text) return text
      if (!this.#cipher || this.#cipher.name !== found.sealedBy) {
        throw new ConnectionError(
          'SecretsUnavailable',
          `The secrets of "${found.name}" were sealed by ${found.sealedBy}, which is not available here: save the connection again`
        )
      }
      return this.#cipher.open(text)
    }
    return {
      endpoint: found.endpoint,
      secretId: found.secretId,
      secretKey: open(found.secretKey),
      sessionToken: open(found.sessionToken) || undefined
    }
  }

  #read(): StoredConnection[] {
    if (!existsSync(this.#file)) return []
    try {
      const parsed = JSON.parse(readFileSync(this.#file, 'utf8')) as { connections?: StoredConnection[] }
      return Array.isArray(parsed.connections) ? parsed.connections : []
    } catch (error) {
      throw new ConnectionError('DamagedConnections', `${this.#file} cannot be read: ${(error as Error).message}`, 500)
    }
  }

  #write(connections: StoredConnection[]): void {
    writeSecretFile(this.#file, JSON.stringify({ version: 1, connections }, null, 2))
  }
}

function notFound(id: string): ConnectionError {
  return new ConnectionError('NoSuchConnection', `No saved connection with id ${JSON.stringify(id)}`, 404)
}

function toInfo(item: StoredConnection): ConnectionInfo {
  return {
    id: item.id,
    name: item.name,
    kind: item.kind,
    region: item.region,
    endpoint: item.endpoint,
    secretIdMasked: mask(item.secretId),
    secretKeyMasked: '•'.repeat(8),
    hasSessionToken: item.sessionToken !== '',
    createdAt: item.createdAt
  }
}
