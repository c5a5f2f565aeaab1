/** Storage classes whose objects must be restored before they can be read. */
export const ARCHIVE_CLASSES = new Set(['ARCHIVE', 'DEEP_ARCHIVE'])

export function isArchived(storageClass: string): boolean {
  return ARCHIVE_CLASSES.has(storageClass.toUpperCase())
}
