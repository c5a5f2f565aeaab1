/** `cos-local serve`: run the whole core headless until SIGINT/SIGTERM. */
import { rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { createApp, DEFAULT_APPID, DEFAULT_REGION, type App } from './app.ts'
import { flag, intFlag, parseArgs, UsageError } from './cli-args.ts'
import { openModeRefusal } from './core/cos/open-mode.ts'
import { collectAfterLargeTransfers, collectStartupGarbage, scavengeOnMainThread } from './startup-gc.ts'
import { defaultDataDir, instanceFile } from './paths.ts'
import { ensureDataDir, writeSecretFile } from './store/private-files.ts'

export const SERVE_USAGE = `Usage: cos-local serve [options]

  --data DIR          data folder (default ${defaultDataDir()})
  --port N            COS API port (default 9500; 0 = any free port)
  --ui-port N         UI and app-API port (default 9501; 0 = any free port)
  --host ADDR         interface to bind (default 127.0.0.1)
  --appid ID          APPID of the emulated account (default ${DEFAULT_APPID})
  --region REGION     default region (default ${DEFAULT_REGION})
  --secret-id ID      verify signatures against this key pair (with --secret-key);
  --secret-key KEY    without them every request is accepted (open mode)
  --allow-open        accept open mode on a non-loopback --host (e.g. 0.0.0.0); without
                      it such a host needs --secret-id/--secret-key
  --fsync             fsync every acknowledged write (survives a machine crash)
  --writer-thread     commit writes on a thread of their own (frees the event loop under
                      heavy concurrent PUTs on a machine with cores to spare; see README)
  --clock-speed X     run the emulated clock X times faster (60: a minute per second)
  --allow-host NAME   also answer COS requests whose Host is NAME (repeatable; loopback
                      names, the --host address and *.myqcloud.com are always answered)
  --cors-origin ORIG  add a page origin (e.g. http://dev.example.test:8080, * wildcards
                      allowed) to the default CORS rule of buckets (repeatable; loopback
                      origins on any port are always in it)
`

export async function serve(argv: string[]): Promise<App> {
  const args = parseArgs(argv, new Set(['fsync', 'help', 'allow-open', 'writer-thread']))
  if (args.flags.has('help')) {
    process.stdout.write(SERVE_USAGE)
    process.exit(0)
  }
  if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}"`)
  const secretId = flag(args, 'secret-id')
  const secretKey = flag(args, 'secret-key')
  if (Boolean(secretId) !== Boolean(secretKey)) throw new UsageError('--secret-id and --secret-key go together')
  const appid = flag(args, 'appid') ?? DEFAULT_APPID
  if (!/^\d{1,20}$/.test(appid)) throw new UsageError(`--appid must be digits, got "${appid}"`)
  const clockSpeed = Number(flag(args, 'clock-speed') ?? 1)
  if (!(clockSpeed > 0 && clockSpeed <= 100_000))
    throw new UsageError('--clock-speed must be a number from 0 to 100000')
  const dataDir = resolve(flag(args, 'data') ?? defaultDataDir())
  const allowHosts = args.flags.get('allow-host') ?? []
  for (const name of allowHosts)
    if (!/^[a-z0-9._-]+$/i.test(name) && !/^\[?[0-9a-f:.]+\]?$/i.test(name))
      throw new UsageError(`--allow-host takes a host name without scheme or port, got "${name}"`)
  const corsOrigins = args.flags.get('cors-origin') ?? []
  for (const origin of corsOrigins)
    if (!/^(\*|https?:\/\/[^/\s]+)$/i.test(origin))
      throw new UsageError(`--cors-origin takes an origin such as http://app.test:8080, got "${origin}"`)
  const host = flag(args, 'host') ?? '127.0.0.1'
  const refusal = openModeRefusal({
    host,
    hasCredentials: Boolean(secretId && secretKey),
    allowOpen: args.flags.has('allow-open')
  })
  if (refusal) throw new UsageError(refusal)
  ensureDataDir(dataDir)

  const app = await createApp({
    dataDir,
    host,
    port: intFlag(args, 'port', 0, 65535) ?? 9500,
    uiPort: intFlag(args, 'ui-port', 0, 65535) ?? 9501,
    appid,
    region: flag(args, 'region') ?? DEFAULT_REGION,
    fsync: args.flags.has('fsync'),
    writerThread: args.flags.has('writer-thread'),
    clockSpeed,
    credentials: secretId && secretKey ? [{ secretId, secretKey }] : undefined,
    allowHosts,
    corsOrigins
  })
  collectStartupGarbage()
  collectAfterLargeTransfers()
  scavengeOnMainThread()
  // before instance.json and the ready lines: a supervisor that stops it as soon as it reads
  // either must find the handlers there (a signal with none yet kills the process outright)
  let stopping = false
  const shutdown = (signal: string): void => {
    if (stopping) return
    stopping = true
    process.stdout.write(`\n${signal}: stopping COS Local…\n`)
    app
      .stop()
      .then(() => rmSync(instanceFile(dataDir), { force: true }))
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error)
        process.exit(1)
      })
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  writeSecretFile(
    instanceFile(dataDir),
    JSON.stringify(
      { appApiUrl: app.appApiUrl, token: app.token, cosEndpoint: app.cosEndpoint, pid: process.pid },
      null,
      2
    )
  )
  process.stdout.write(
    [
      'COS Local is running.',
      `  COS endpoint  ${app.cosEndpoint}`,
      `  SecretId      ${secretId ?? 'AKIDcoslocal'} (${secretId ? 'signatures verified' : 'open mode: any key works'})`,
      `  SecretKey     ${secretKey ? '(as given)' : 'coslocal-secret'}`,
      `  APPID         ${appid}`,
      `  UI            ${app.uiUrl}`,
      `  Data          ${dataDir}`
    ].join('\n') + '\n'
  )
  return app
}
