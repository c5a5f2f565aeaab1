/**
 * App-API contract for files on the machine running COS Local: `POST /api/disk/upload` streams
 * files and folders (dropped from the OS in the desktop app, or picked with a native dialog) into
 * a bucket through the COS API, keeping the folder tree in the keys.
 */
import { z } from 'zod'

export const DiskUploadRequestSchema = z.strictObject({
  bucket: z.string().min(1),
  /** Key prefix ('' or ending in '/'): the folder shown in the browser. */
  prefix: z.string().refine((prefix) => prefix === '' || prefix.endsWith('/'), 'must be empty or end with /'),
  /** Absolute paths of files or folders. A folder uploads with its tree: prefix + folder name + relative path. */
  paths: z.array(z.string().min(1)).min(1).max(10_000),
  /** The UI's upload options: storage class (x-cos-storage-class), x-cos-meta-* metadata, skip existing keys. */
  storageClass: z.string().optional(),
  meta: z.record(z.string(), z.string()).optional(),
  skipExisting: z.boolean().optional()
})
export type DiskUploadRequest = z.infer<typeof DiskUploadRequestSchema>

export const DiskUploadItemSchema = z.object({ path: z.string(), key: z.string(), size: z.number() })
export type DiskUploadItem = z.infer<typeof DiskUploadItemSchema>

export const DiskUploadFailureSchema = z.object({
  path: z.string(),
  key: z.string().optional(),
  message: z.string()
})
export type DiskUploadFailure = z.infer<typeof DiskUploadFailureSchema>

export const DiskUploadResponseSchema = z.object({
  uploaded: z.array(DiskUploadItemSchema),
  /** Keys that existed already (with `skipExisting`). */
  skipped: z.array(DiskUploadItemSchema),
  failed: z.array(DiskUploadFailureSchema)
})
export type DiskUploadResponse = z.infer<typeof DiskUploadResponseSchema>
