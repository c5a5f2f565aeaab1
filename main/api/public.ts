/**
 * The public surface of `import { startCosLocal } from 'cos-local'`: its signature and types.
 * Self-contained (no imports): `tsc -p tsconfig.api.json` emits it as the package's one
 * declaration file (out/types/public.d.ts). start-cos-local.ts implements it and is checked
 * against it.
 */

/** Start a COS Local in this process: free ports and a temp data folder unless told otherwise. */
export declare function startCosLocal(options?: CosLocalOptions): Promise<CosLocal>

export interface CosLocalCredentials {
  secretId: string
  secretKey: string
}

export interface CosLocalOptions {
  /** COS API port (default 0: any free port, so parallel instances never collide). */
  port?: number
  /** UI + app-API port (default 0), or `false` for no UI. */
  uiPort?: number | false
  /** Interface to bind (default 127.0.0.1). Any other needs `credentials` or `allowOpen`. */
  host?: string
  /** Accept open mode (no credentials) on a non-loopback host. */
  allowOpen?: boolean
  /** Data folder to use and keep. Default: a new temp folder, removed by stop(). */
  dataDir?: string
  /** APPID of the emulated account (default 1250000000). */
  appid?: string
  /** Default region (default ap-guangzhou). */
  region?: string
  /** Verify signatures against this key pair; without it every request is accepted (open mode). */
  credentials?: CosLocalCredentials
  /** Run the emulated clock this many times faster (60: SCF's one-minute retry takes a second). */
  clockSpeed?: number
  /** fsync every acknowledged write (survives a machine crash, not only kill -9). */
  fsync?: boolean
  /**
   * A snapshot archive (`cos-local snapshot save`) to load at start. Its APPID and region are
   * used unless appid/region say otherwise.
   */
  snapshot?: string
  /** Buckets to create at start, e.g. `['photos-1250000000']` or `['photos']` (the APPID is added). */
  buckets?: string[]
}

/** Options for cos-nodejs-sdk-v5: `new COS(cos.sdkOptions())`. */
export interface CosSdkOptions {
  SecretId: string
  SecretKey: string
  Protocol: 'http:'
  /** host:port the SDK connects to (it keeps COS's virtual-host Host header). */
  Ip: string
}

/** Options for @aws-sdk/client-s3: `new S3Client(cos.sdkOptions('s3'))`. */
export interface S3SdkOptions {
  endpoint: string
  region: string
  forcePathStyle: true
  credentials: { accessKeyId: string; secretAccessKey: string }
}

export type CosLocalRuntime = 'nodejs' | 'python3'

export interface CreateFunctionOptions {
  name: string
  /** Folder holding the code (the handler's file at its top). One of dir, zip, template, files. */
  dir?: string
  /** A zip of the code. */
  zip?: string
  /** A built-in template: nodejs-print-event, python-print-event, nodejs-thumbnail. */
  template?: string
  /** Inline files: `{ 'index.js': 'exports.main_handler = async (event) => …' }`. */
  files?: Record<string, string>
  /** `nodejs` or `python3` (SCF names such as Nodejs18.15 work too). Default: from the code. */
  runtime?: string
  /** `file.method` (default index.main_handler). */
  handler?: string
  env?: Record<string, string>
  /** Seconds, 1–900 (default 3). */
  timeout?: number
  /** MB: 64 or 128–3072 in steps of 128 (default 128). */
  memory?: number
  /** Async retries after an error, 0–2 (default 2, as SCF). */
  retryNum?: number
  /** Replace a function of the same name. */
  replace?: boolean
}

export interface FunctionInfo {
  name: string
  runtime: CosLocalRuntime
  handler: string
  memory: number
  timeout: number
  env: Record<string, string>
  retryNum: number
}

export interface AddTriggerOptions {
  function: string
  /** `name-appid`, `name` (the APPID is added) or `name-appid.cos.<region>.myqcloud.com`. */
  bucket: string
  /** One event type or several, e.g. `cos:ObjectCreated:*` (default). */
  events?: string | string[]
  prefix?: string
  suffix?: string
  enabled?: boolean
}

export interface TriggerInfo {
  id: string
  function: string
  bucket: string
  region: string
  event: string
  prefix: string
  suffix: string
  enabled: boolean
}

export interface WaitForInvocationOptions {
  function: string
  /** The object key the invocation was for (any key when omitted). */
  key?: string
  /** Default 10 000 ms. */
  timeoutMs?: number
  /** Only invocations created at or after this time (ms since epoch, on the emulated clock). */
  since?: number
}

export type InvocationStatus = 'pending' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'dead-lettered'

export interface Invocation {
  requestId: string
  function: string
  status: InvocationStatus
  /** The handler's return value (parsed JSON) when it succeeded. */
  result: unknown
  /** The error message when it failed. */
  error?: string
  eventName: string | null
  bucket: string | null
  key: string | null
  attempts: number
  durationMs: number | null
  /** The SCF event JSON the function received. */
  event: unknown
  /** Run-log lines in SCF's format (START, your output, Response/ERROR, END, Report). */
  logs: string[]
}

export interface CosLocal {
  /** `http://127.0.0.1:<port>`: the COS XML API. */
  readonly endpoint: string
  readonly port: number
  readonly appid: string
  readonly region: string
  /** The key pair clients use (the verified one, or the open-mode defaults). */
  readonly credentials: CosLocalCredentials
  /** The UI's URL with its token, or undefined when started with `uiPort: false`. */
  readonly uiUrl: string | undefined
  readonly dataDir: string
  /** Options for cos-nodejs-sdk-v5 (default) or, with `'s3'`, for @aws-sdk/client-s3. */
  sdkOptions(): CosSdkOptions
  sdkOptions(kind: 'cos'): CosSdkOptions
  sdkOptions(kind: 's3'): S3SdkOptions
  /** The full bucket name for a short one: `photos` → `photos-1250000000`. */
  bucket(name: string): string
  createBucket(name: string): Promise<string>
  functions: {
    create(options: CreateFunctionOptions): Promise<FunctionInfo>
    list(): Promise<FunctionInfo[]>
    remove(name: string): Promise<void>
    /** Run once with a COS test event (no retries). */
    invoke(
      name: string,
      input?: { event?: unknown; template?: string; bucket?: string; key?: string }
    ): Promise<Invocation>
  }
  triggers: {
    add(options: AddTriggerOptions): Promise<TriggerInfo[]>
    list(filter?: { function?: string; bucket?: string }): Promise<TriggerInfo[]>
    remove(id: string): Promise<void>
  }
  /** Resolve once `function` has run for `key` (an attempt finished); rejects on timeout, saying why. */
  waitForInvocation(options: WaitForInvocationOptions): Promise<Invocation>
  /** Save buckets, objects (every version), functions and triggers to a snapshot archive. */
  saveSnapshot(file: string): Promise<SnapshotSummary>
  /** Load a snapshot archive (refused, changing nothing, when a bucket or function exists). */
  loadSnapshot(file: string): Promise<SnapshotSummary>
  /** Upload a folder tree into a bucket as `prefix + relative path`, skipping objects whose MD5 matches. */
  seed(dir: string, options: { bucket: string; prefix?: string }): Promise<{ uploaded: string[]; skipped: string[] }>
  /** Stop every listener and child process; removes the data folder if startCosLocal made it. */
  stop(): Promise<void>
}

export interface SnapshotSummary {
  file: string
  formatVersion: number
  counts: { buckets: number; objects: number; functions: number; triggers: number }
}
