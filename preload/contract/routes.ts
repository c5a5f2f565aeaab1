/**
 * THE app-API route table: every `/api/...` call the UI, the CLI and scripts make. The server
 * registers its routes from it (main/app-api/router.ts: params, query and body validated with
 * these schemas, the handler bound to the route's name) and `client.ts` derives the one typed
 * client from it.
 *
 * To add a route: add an entry here (name `group.action`, method, path, query/body/response
 * schemas), then its handler in main/app-api/routes/ (the compiler reports it until it exists).
 * Push messages over the WebSocket (`/api/push`) are typed in push.ts.
 */
import { z } from 'zod'
import {
  CreateFunctionRequestSchema,
  ExportResponseSchema,
  FunctionInfoSchema,
  FunctionListResponseSchema,
  FunctionStatusListSchema,
  FunctionTemplateListSchema,
  ImportRequestSchema,
  ImportResponseSchema,
  InvokeFunctionRequestSchema,
  InvokeFunctionResponseSchema,
  UpdateFunctionRequestSchema,
  FunctionDebugInfoSchema,
  FunctionDebugRequestSchema,
  CreateCodeFileRequestSchema,
  MoveCodeFileRequestSchema,
  DeleteCodeFileResponseSchema,
  CodeFileListSchema,
  CodeFilePathQuerySchema,
  CodeFileSchema,
  WriteCodeFileRequestSchema,
  WriteCodeFileResponseSchema
} from './functions.ts'
import { DiskUploadRequestSchema, DiskUploadResponseSchema } from './disk.ts'
import {
  BusStateSchema,
  ClearedResponseSchema,
  DeadLetterListResponseSchema,
  EventDetailSchema,
  FaultListSchema,
  FaultRuleSchema,
  HistoryPageSchema,
  HistoryQuerySchema,
  InvocationWithAttemptsSchema,
  RedriveResponseSchema,
  ReplayRequestSchema,
  ReplayResponseSchema,
  SetBusRequestSchema,
  SetFaultRequestSchema,
  TimelineQuerySchema,
  TimelineSchema
} from './history.ts'
import { AppInfoSchema } from './info.ts'
import {
  InvocationDetailSchema,
  InvocationListResponseSchema,
  InvocationQuerySchema,
  InvocationSchema,
  LogListResponseSchema,
  LogQuerySchema,
  TestTemplateListSchema,
  TestTemplateQuerySchema,
  WaitQuerySchema
} from './invocations.ts'
import {
  ConnectionInfoSchema,
  ConnectionListResponseSchema,
  CreateConnectionRequestSchema,
  SignRequestSchema,
  SignResponseSchema
} from './connections.ts'
import { route } from './route.ts'
import { SeedRequestSchema, SeedResultSchema, SnapshotFileRequestSchema, SnapshotResultSchema } from './snapshot.ts'
import {
  CreateTriggerRequestSchema,
  ExplainQuerySchema,
  ExplainResponseSchema,
  RecentEventsQuerySchema,
  RecentEventsResponseSchema,
  TriggerListResponseSchema,
  TriggerQuerySchema,
  TriggerSchema,
  UpdateTriggerRequestSchema
} from './triggers.ts'

/** What a DELETE answers: the name or id that is gone. */
export const DeletedResponseSchema = z.object({ deleted: z.string() })

export const routes = {
  // ── The emulator ────────────────────────────────────────────────────────────
  'info.get': route({ method: 'GET', path: '/api/info', response: AppInfoSchema }),

  // ── Functions ───────────────────────────────────────────────────────────────
  'functions.list': route({ method: 'GET', path: '/api/functions', response: FunctionListResponseSchema }),
  'functions.create': route({
    method: 'POST',
    path: '/api/functions',
    body: CreateFunctionRequestSchema,
    response: FunctionInfoSchema
  }),
  'functions.get': route({ method: 'GET', path: '/api/functions/:name', response: FunctionInfoSchema }),
  'functions.update': route({
    method: 'PATCH',
    path: '/api/functions/:name',
    body: UpdateFunctionRequestSchema,
    response: FunctionInfoSchema
  }),
  'functions.remove': route({ method: 'DELETE', path: '/api/functions/:name', response: DeletedResponseSchema }),
  /** A test invoke (sync, no retries). */
  'functions.invoke': route({
    method: 'POST',
    path: '/api/functions/:name/invoke',
    body: InvokeFunctionRequestSchema,
    response: InvokeFunctionResponseSchema
  }),
  /** Debug mode: Node with --inspect, Python with debugpy, on a free port; timeouts suspended. */
  'functions.debug': route({
    method: 'POST',
    path: '/api/functions/:name/debug',
    body: FunctionDebugRequestSchema,
    response: FunctionDebugInfoSchema
  }),
  /** Online code editing: list, read and write the files of a function's code (a write reloads it). */
  'functions.codeFiles': route({ method: 'GET', path: '/api/functions/:name/code', response: CodeFileListSchema }),
  'functions.readCode': route({
    method: 'GET',
    path: '/api/functions/:name/code/file',
    query: CodeFilePathQuerySchema,
    response: CodeFileSchema
  }),
  'functions.writeCode': route({
    method: 'PUT',
    path: '/api/functions/:name/code/file',
    body: WriteCodeFileRequestSchema,
    response: WriteCodeFileResponseSchema
  }),
  'functions.createCode': route({
    method: 'POST',
    path: '/api/functions/:name/code/file',
    body: CreateCodeFileRequestSchema,
    response: WriteCodeFileResponseSchema
  }),
  'functions.moveCode': route({
    method: 'POST',
    path: '/api/functions/:name/code/move',
    body: MoveCodeFileRequestSchema,
    response: WriteCodeFileResponseSchema
  }),
  'functions.deleteCode': route({
    method: 'DELETE',
    path: '/api/functions/:name/code/file',
    query: CodeFilePathQuerySchema,
    response: DeleteCodeFileResponseSchema
  }),
  /** Live state per function: warm instances, last invocation, error rate, active faults. */
  'functions.status': route({ method: 'GET', path: '/api/function-status', response: FunctionStatusListSchema }),
  'functions.templates': route({
    method: 'GET',
    path: '/api/function-templates',
    response: FunctionTemplateListSchema
  }),

  // ── Triggers and "why didn't it fire?" ──────────────────────────────────────
  'triggers.list': route({
    method: 'GET',
    path: '/api/triggers',
    query: TriggerQuerySchema,
    response: TriggerListResponseSchema
  }),
  'triggers.create': route({
    method: 'POST',
    path: '/api/triggers',
    body: CreateTriggerRequestSchema,
    response: TriggerSchema
  }),
  'triggers.get': route({ method: 'GET', path: '/api/triggers/:id', response: TriggerSchema }),
  'triggers.update': route({
    method: 'PATCH',
    path: '/api/triggers/:id',
    body: UpdateTriggerRequestSchema,
    response: TriggerSchema
  }),
  'triggers.remove': route({ method: 'DELETE', path: '/api/triggers/:id', response: DeletedResponseSchema }),
  'triggers.explain': route({
    method: 'GET',
    path: '/api/explain',
    query: ExplainQuerySchema,
    response: ExplainResponseSchema
  }),
  'events.recent': route({
    method: 'GET',
    path: '/api/events/recent',
    query: RecentEventsQuerySchema,
    response: RecentEventsResponseSchema
  }),

  // ── Event history, inspector, timeline, replay, fault injection ─────────────
  /** Every object event (matched or not), newest first, filtered; unmatched hidden unless asked for. */
  'history.list': route({ method: 'GET', path: '/api/events', query: HistoryQuerySchema, response: HistoryPageSchema }),
  /** One event: its request, the delivered SCF JSON, every trigger's verdict and every delivery's attempts. */
  'history.get': route({ method: 'GET', path: '/api/events/:seq', response: EventDetailSchema }),
  /** Deliver a recorded event again: to the functions it matched, or to `function`. */
  'history.replay': route({
    method: 'POST',
    path: '/api/events/:seq/replay',
    body: ReplayRequestSchema,
    response: ReplayResponseSchema
  }),
  /** What happened to an object key or a request id, on the emulated time axis. */
  'history.timeline': route({
    method: 'GET',
    path: '/api/timeline',
    query: TimelineQuerySchema,
    response: TimelineSchema
  }),
  'faults.list': route({ method: 'GET', path: '/api/faults', response: FaultListSchema }),
  /** Fault injection for a function (fields left out keep their value). */
  'faults.set': route({
    method: 'PUT',
    path: '/api/faults/:function',
    body: SetFaultRequestSchema,
    response: FaultRuleSchema
  }),
  'faults.clear': route({ method: 'DELETE', path: '/api/faults/:function', response: ClearedResponseSchema }),
  'bus.get': route({ method: 'GET', path: '/api/bus', response: BusStateSchema }),
  /** Pause or resume delivery for the whole bus. */
  'bus.set': route({ method: 'PUT', path: '/api/bus', body: SetBusRequestSchema, response: BusStateSchema }),

  // ── Invocations, run logs, test events ──────────────────────────────────────
  'invocations.list': route({
    method: 'GET',
    path: '/api/invocations',
    query: InvocationQuerySchema,
    response: InvocationListResponseSchema
  }),
  'invocations.get': route({
    method: 'GET',
    path: '/api/invocations/:requestId',
    response: InvocationDetailSchema
  }),
  /** Each dead letter with the redrives made of it. */
  'invocations.deadLetters': route({
    method: 'GET',
    path: '/api/dead-letters',
    response: DeadLetterListResponseSchema
  }),
  /** Deliver a dead letter's event again, as a new invocation linked to it. */
  'invocations.redrive': route({
    method: 'POST',
    path: '/api/dead-letters/:requestId/redrive',
    response: RedriveResponseSchema
  }),
  /** One invocation with its attempts and (the first 500) log lines. */
  'invocations.attempts': route({
    method: 'GET',
    path: '/api/invocations/:requestId/attempts',
    response: InvocationWithAttemptsSchema
  }),
  /** Waits for the next invocation of a function (for CI); 408 WaitTimeout when none comes. */
  'invocations.wait': route({ method: 'GET', path: '/api/wait', query: WaitQuerySchema, response: InvocationSchema }),
  'logs.list': route({ method: 'GET', path: '/api/logs', query: LogQuerySchema, response: LogListResponseSchema }),
  'testTemplates.list': route({ method: 'GET', path: '/api/test-templates', response: TestTemplateListSchema }),
  /** The SCF COS event of a test template, ready to edit. */
  'testTemplates.get': route({
    method: 'GET',
    path: '/api/test-templates/:event',
    query: TestTemplateQuerySchema,
    response: z.unknown()
  }),

  // ── serverless.yml / template.yaml ──────────────────────────────────────────
  'config.import': route({
    method: 'POST',
    path: '/api/import',
    body: ImportRequestSchema,
    response: ImportResponseSchema
  }),
  'config.export': route({ method: 'GET', path: '/api/export', response: ExportResponseSchema }),

  // ── Files on this machine (desktop drops, native pickers) ───────────────────
  /** Streams files and folders from disk into a bucket through the COS API (trees kept). */
  'disk.upload': route({
    method: 'POST',
    path: '/api/disk/upload',
    body: DiskUploadRequestSchema,
    response: DiskUploadResponseSchema
  }),

  // ── Known state: snapshots and seeding ──────────────────────────────────────
  /** Save buckets, objects (every version), functions and triggers to a file on this machine. */
  'snapshot.save': route({
    method: 'POST',
    path: '/api/snapshot/save',
    body: SnapshotFileRequestSchema,
    response: SnapshotResultSchema
  }),
  /** Load a snapshot file into this instance (refused, changing nothing, when it collides). */
  'snapshot.load': route({
    method: 'POST',
    path: '/api/snapshot/load',
    body: SnapshotFileRequestSchema,
    response: SnapshotResultSchema
  }),
  /** Upload a folder tree into a bucket, skipping objects whose MD5 matches. */
  'seed.run': route({ method: 'POST', path: '/api/seed', body: SeedRequestSchema, response: SeedResultSchema }),

  // ── Saved connections to other COS endpoints (secrets stay on this side) ────
  'connections.list': route({ method: 'GET', path: '/api/connections', response: ConnectionListResponseSchema }),
  'connections.create': route({
    method: 'POST',
    path: '/api/connections',
    body: CreateConnectionRequestSchema,
    response: ConnectionInfoSchema
  }),
  'connections.remove': route({ method: 'DELETE', path: '/api/connections/:id', response: DeletedResponseSchema }),
  /** A q-sign Authorization for one request to the connection's endpoint (cos-js-sdk-v5 getAuthorization). */
  'connections.sign': route({
    method: 'POST',
    path: '/api/connections/:id/sign',
    body: SignRequestSchema,
    response: SignResponseSchema
  })
}

export type AppRoutes = typeof routes
export type AppRouteName = keyof AppRoutes
