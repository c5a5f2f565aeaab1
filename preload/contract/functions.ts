/**
 * App-API contract for SCF functions: `/api/functions`.
 */
import { z } from 'zod'
import { InvocationDetailSchema } from './invocations.ts'

export const RuntimeSchema = z.enum(['nodejs', 'python3'])

export const FunctionInfoSchema = z.object({
  name: z.string(),
  namespace: z.string(),
  runtime: RuntimeSchema,
  handler: z.string(),
  memory: z.number(),
  timeout: z.number(),
  env: z.record(z.string(), z.string()),
  retryNum: z.number(),
  description: z.string(),
  source: z.string(),
  /** The folder a function created with a `dir` source came from: watched, changes hot-reloaded. */
  sourceDir: z.string().optional(),
  revision: z.string(),
  createdAt: z.number(),
  updatedAt: z.number()
})
export type FunctionInfo = z.infer<typeof FunctionInfoSchema>

/** Where a function's code comes from. Paths are on the machine running COS Local. */
export const CodeSourceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dir'), path: z.string().min(1) }),
  z.strictObject({ type: z.literal('zip'), path: z.string().min(1) }),
  z.strictObject({ type: z.literal('zipBase64'), data: z.string().min(1) }),
  z.strictObject({ type: z.literal('template'), template: z.string().min(1) }),
  z.strictObject({ type: z.literal('files'), files: z.record(z.string(), z.string()) })
])
export type CodeSource = z.infer<typeof CodeSourceSchema>

const configFields = {
  runtime: z.string().optional(),
  handler: z.string().optional(),
  memory: z.number().int().optional(),
  timeout: z.number().int().optional(),
  env: z.record(z.string(), z.string()).optional(),
  retryNum: z.number().int().optional(),
  description: z.string().optional(),
  namespace: z.string().optional()
}

/** POST /api/functions */
export const CreateFunctionRequestSchema = z.strictObject({
  name: z.string(),
  ...configFields,
  code: CodeSourceSchema,
  /** Replace an existing function of that name. */
  replace: z.boolean().optional()
})
export type CreateFunctionRequest = z.infer<typeof CreateFunctionRequestSchema>

/** PATCH /api/functions/:name */
export const UpdateFunctionRequestSchema = z.strictObject({ ...configFields, code: CodeSourceSchema.optional() })
export type UpdateFunctionRequest = z.infer<typeof UpdateFunctionRequestSchema>

export const FunctionListResponseSchema = z.object({ functions: z.array(FunctionInfoSchema) })
export type FunctionListResponse = z.infer<typeof FunctionListResponseSchema>

/** GET /api/function-status: live state per function. */
export const FunctionStatusSchema = z.object({
  name: z.string(),
  warm: z.number(),
  busy: z.number(),
  lastInvocationAt: z.number().nullable(),
  /** Of the newest 50 invocations: how many, and how many failed (incl. retrying and dead letters). */
  recent: z.number(),
  recentFailed: z.number(),
  fault: z.object({ failNext: z.number(), timeoutNext: z.number(), latencyMs: z.number() }).nullable()
})
export type FunctionStatus = z.infer<typeof FunctionStatusSchema>
export const FunctionStatusListSchema = z.object({ functions: z.array(FunctionStatusSchema) })
export type FunctionStatusList = z.infer<typeof FunctionStatusListSchema>

/** GET /api/function-templates */
export const FunctionTemplateListSchema = z.object({
  templates: z.array(z.object({ id: z.string(), runtime: RuntimeSchema, description: z.string() }))
})
export type FunctionTemplateList = z.infer<typeof FunctionTemplateListSchema>

/**
 * POST /api/functions/:name/invoke — a test invoke (sync, no retries): with an explicit
 * `event`, or a COS test template for an event type filled with `bucket`/`key`.
 */
export const InvokeFunctionRequestSchema = z.strictObject({
  event: z.unknown().optional(),
  template: z.string().optional(),
  bucket: z.string().optional(),
  key: z.string().optional()
})
export type InvokeFunctionRequest = z.infer<typeof InvokeFunctionRequestSchema>

export const InvokeFunctionResponseSchema = InvocationDetailSchema
export type InvokeFunctionResponse = z.infer<typeof InvokeFunctionResponseSchema>

/** POST /api/import: serverless.yml / template.yaml text → functions + triggers. */
export const ImportRequestSchema = z.strictObject({
  text: z.string(),
  /** File name (decides the format when the text is ambiguous). */
  filename: z.string().optional(),
  /** Folder that relative code paths (CodeUri, src) are resolved against. */
  baseDir: z.string().optional(),
  /** Replace functions that already exist. */
  replace: z.boolean().optional()
})
export type ImportRequest = z.infer<typeof ImportRequestSchema>

export const ImportResponseSchema = z.object({
  functions: z.array(z.string()),
  triggers: z.array(z.string()),
  warnings: z.array(z.string())
})
export type ImportResponse = z.infer<typeof ImportResponseSchema>

/** GET /api/export → serverless.yml text */
export const ExportResponseSchema = z.object({ format: z.literal('serverless.yml'), text: z.string() })
export type ExportResponse = z.infer<typeof ExportResponseSchema>

/** POST /api/functions/:name/debug: start (enabled) or stop debug mode. */
export const FunctionDebugRequestSchema = z.strictObject({ enabled: z.boolean() })
export type FunctionDebugRequest = z.infer<typeof FunctionDebugRequestSchema>

/** Debug mode of a function: where to attach a debugger (timeouts are suspended meanwhile). */
export const FunctionDebugInfoSchema = z.object({
  name: z.string(),
  runtime: RuntimeSchema,
  enabled: z.boolean(),
  host: z.string().optional(),
  port: z.number().optional(),
  /** Chrome DevTools URL of the warm instance (Node), when it is running. */
  devtoolsUrl: z.string().optional(),
  /** A VS Code launch.json configuration that attaches to it. */
  vscode: z.record(z.string(), z.unknown()).optional(),
  /** What to do next, in a sentence or two. */
  message: z.string()
})
export type FunctionDebugInfo = z.infer<typeof FunctionDebugInfoSchema>

/** Online code editing: the files of a function's code folder (node_modules skipped). */
export const CodeFileListSchema = z.object({
  /** Where the edits go: the watched source folder of a `dir` function, else its installed code. */
  root: z.string(),
  files: z.array(z.object({ path: z.string(), size: z.number() })),
  /** More files than the list holds. */
  truncated: z.boolean()
})
export type CodeFileList = z.infer<typeof CodeFileListSchema>

export const CodeFilePathQuerySchema = z.strictObject({ path: z.string().min(1) })

export const CodeFileSchema = z.object({ path: z.string(), content: z.string(), size: z.number() })
export type CodeFile = z.infer<typeof CodeFileSchema>

export const WriteCodeFileRequestSchema = z.strictObject({ path: z.string().min(1), content: z.string() })
export type WriteCodeFileRequest = z.infer<typeof WriteCodeFileRequestSchema>

export const WriteCodeFileResponseSchema = z.object({ path: z.string(), size: z.number(), revision: z.string() })

/** POST /api/functions/:name/code/file: a new file (409 when the name exists). */
export const CreateCodeFileRequestSchema = z.strictObject({ path: z.string().min(1), content: z.string().optional() })
export type CreateCodeFileRequest = z.infer<typeof CreateCodeFileRequestSchema>

/** POST /api/functions/:name/code/move: rename or move a file (409 when the target exists). */
export const MoveCodeFileRequestSchema = z.strictObject({ from: z.string().min(1), to: z.string().min(1) })
export type MoveCodeFileRequest = z.infer<typeof MoveCodeFileRequestSchema>

/** DELETE /api/functions/:name/code/file?path=… */
export const DeleteCodeFileResponseSchema = z.object({ deleted: z.string(), revision: z.string() })
export type DeleteCodeFileResponse = z.infer<typeof DeleteCodeFileResponseSchema>
