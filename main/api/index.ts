/**
 * `import { startCosLocal } from 'cos-local'`: COS Local inside your own tests.
 *
 * ```ts
 * const cos = await startCosLocal()          // free ports, a temp data folder
 * const client = new COS(cos.sdkOptions())   // cos-nodejs-sdk-v5
 * await cos.stop()                           // removes the temp folder
 * ```
 *
 * The published types are main/api/public.ts (emitted by `tsc -p tsconfig.api.json`).
 */
export { startCosLocal } from './start-cos-local.ts'
export type {
  AddTriggerOptions,
  CosLocal,
  CosLocalCredentials,
  CosLocalOptions,
  CosLocalRuntime,
  CosSdkOptions,
  CreateFunctionOptions,
  FunctionInfo,
  Invocation,
  InvocationStatus,
  S3SdkOptions,
  SnapshotSummary,
  TriggerInfo,
  WaitForInvocationOptions
} from './public.ts'
