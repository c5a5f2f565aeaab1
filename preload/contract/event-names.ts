/**
 * Every event type a COS trigger may name (SCF doc 583/9707), in the console's order.
 * Plain data with no imports, so the renderer may use it too. main/core/events/event-names.ts
 * keeps the core's twin (core imports nothing outside core); a unit test holds them equal.
 */
export const TRIGGER_EVENT_NAMES = [
  'cos:ObjectCreated:*',
  'cos:ObjectCreated:Put',
  'cos:ObjectCreated:Post',
  'cos:ObjectCreated:Copy',
  'cos:ObjectCreated:CompleteMultipartUpload',
  'cos:ObjectCreated:Origin',
  'cos:ObjectCreated:Replication',
  'cos:ObjectRemove:*',
  'cos:ObjectRemove:Delete',
  'cos:ObjectRemove:DeleteMarkerCreated',
  'cos:ObjectRestore:Post',
  'cos:ObjectRestore:Completed'
] as const
