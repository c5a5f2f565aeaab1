/** Archive storage: which classes need a restore, and what x-cos-restore says. */
export const ARCHIVE_CLASSES = new Set(['ARCHIVE', 'DEEP_ARCHIVE'])

export function isArchived(storageClass: string): boolean {
  return ARCHIVE_CLASSES.has(storageClass.toUpperCase())
}

export type RestoreState = { state: 'none' } | { state: 'restoring' } | { state: 'restored'; until: string }

/** `ongoing-request="false", expiry-date="Mon, 13 Apr 2020 16:00:00 GMT"` → restored until that date. */
export function parseRestore(header: string): RestoreState {
  if (!header) return { state: 'none' }
  if (/ongoing-request="true"/i.test(header)) return { state: 'restoring' }
  const expiry = /expiry-date="([^"]+)"/i.exec(header)?.[1]
  return expiry ? { state: 'restored', until: expiry } : { state: 'none' }
}

/** Storage classes offered for uploads and class changes. */
export const STORAGE_CLASSES = ['STANDARD', 'STANDARD_IA', 'INTELLIGENT_TIERING', 'ARCHIVE', 'DEEP_ARCHIVE']
