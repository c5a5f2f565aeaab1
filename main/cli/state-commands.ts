/**
 * Known state for CI: `seed DIR --bucket B [--prefix P]`, `snapshot save FILE` and
 * `snapshot load FILE`. They act on the running instance (found as the other client commands
 * find it) or, when none runs for the data folder, on the folder itself (opened offline:
 * nothing listens beyond an ephemeral loopback port, no function runs).
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createApp, DEFAULT_APPID, DEFAULT_REGION } from '../app.ts'
import { flag, UsageError, type ParsedArgs } from '../cli-args.ts'
import { readSnapshot, loadSnapshot } from '../snapshot/snapshot-load.ts'
import { saveSnapshot } from '../snapshot/snapshot-save.ts'
import { seedFolder } from '../snapshot/seed-folder.ts'
import type { SnapshotDeps } from '../snapshot/snapshot-deps.ts'
import { defaultDataDir, instanceFile } from '../paths.ts'
import { ensureDataDir } from '../store/private-files.ts'
import { CliError, connect, findConnection, type ApiClient } from './connection.ts'
import type { CliIo } from './output.ts'

export const STATE_USAGE = `Known state (a running instance, or the --data folder when none runs):
  cos-local seed DIR --bucket B [--prefix P]  upload a folder tree (skips objects whose MD5 matches)
  cos-local snapshot save FILE                buckets + configuration, objects (every version),
                                              functions and triggers, in one zip
  cos-local snapshot load FILE                into the instance (or folder); refused, changing
                                              nothing, when a bucket or function already exists
  offline only: --appid ID --region R         (snapshot load defaults to the snapshot's own)
`

type Target = { kind: 'api'; api: ApiClient } | { kind: 'folder'; dataDir: string }

function running(dataDir: string): boolean {
  const file = instanceFile(dataDir)
  if (!existsSync(file)) return false
  try {
    const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number }
    if (typeof pid !== 'number') return true
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: alive but another user's; anything else: the instance is gone (a stale file)
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function targetOf(args: ParsedArgs): Target {
  if (flag(args, 'endpoint')) return { kind: 'api', api: connect(findConnection(args)) }
  const dataDir = resolve(flag(args, 'data') ?? defaultDataDir())
  if (running(dataDir)) return { kind: 'api', api: connect(findConnection(args)) }
  return { kind: 'folder', dataDir }
}

/** Open a data folder offline, run `work`, close it again. */
async function offline<T>(
  dataDir: string,
  ids: { appid: string; region: string },
  work: (deps: SnapshotDeps) => Promise<T>
): Promise<T> {
  ensureDataDir(dataDir)
  const app = await createApp({ dataDir, port: 0, ui: false, dispatch: false, ...ids })
  try {
    return await work(app.snapshot)
  } finally {
    await app.stop()
  }
}

function ids(args: ParsedArgs, fallback?: { appid: string; region: string }): { appid: string; region: string } {
  return {
    appid: flag(args, 'appid') ?? fallback?.appid ?? DEFAULT_APPID,
    region: flag(args, 'region') ?? fallback?.region ?? DEFAULT_REGION
  }
}

export async function seedCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const [, dir, ...extra] = args.positional
  const bucket = flag(args, 'bucket')
  if (!dir || !bucket || extra.length > 0) throw new UsageError('Usage: cos-local seed DIR --bucket B [--prefix P]')
  const request = { dir: resolve(dir), bucket, prefix: flag(args, 'prefix') }
  const target = targetOf(args)
  const result =
    target.kind === 'api'
      ? await target.api.seed.run({ body: request })
      : await offline(target.dataDir, ids(args), async (deps) => {
          const seeded = await seedFolder(deps.storage, request)
          return { uploaded: seeded.uploaded.length, skipped: seeded.skipped.length }
        })
  io.out(`Seeded ${bucket}: ${result.uploaded} uploaded, ${result.skipped} unchanged (MD5 matched)\n`)
  return 0
}

export async function snapshotCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const [, action, file, ...extra] = args.positional
  if ((action !== 'save' && action !== 'load') || !file || extra.length > 0) {
    throw new UsageError('Usage: cos-local snapshot save FILE | snapshot load FILE')
  }
  const path = resolve(file)
  const target = targetOf(args)
  let summary: { formatVersion: number; counts: Record<string, number> }
  if (action === 'save') {
    if (target.kind === 'folder' && !existsSync(target.dataDir)) {
      throw new CliError(`No data folder ${target.dataDir} to save (and no running COS Local for it)`)
    }
    summary =
      target.kind === 'api'
        ? await target.api.snapshot.save({ body: { file: path } })
        : await offline(target.dataDir, ids(args), (deps) => saveSnapshot(deps, path))
  } else if (target.kind === 'api') {
    summary = await target.api.snapshot.load({ body: { file: path } })
  } else {
    const { manifest } = readSnapshot(path).contents // check the archive before creating any folder
    summary = (await offline(target.dataDir, ids(args, manifest), (deps) => loadSnapshot(deps, path))).manifest
  }
  const c = summary.counts
  io.out(
    `${action === 'save' ? 'Saved' : 'Loaded'} ${path} (format ${summary.formatVersion}): ` +
      `${c.buckets} bucket(s), ${c.objects} object version(s), ${c.functions} function(s), ${c.triggers} trigger(s)\n`
  )
  return 0
}
