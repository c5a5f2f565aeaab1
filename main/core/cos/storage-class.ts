/** Storage classes accepted on PUT, Copy and Initiate Multipart (`x-cos-storage-class`). */
import { CosError } from './errors.ts'

export const STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'INTELLIGENT_TIERING',
  'ARCHIVE',
  'DEEP_ARCHIVE',
  'MAZ_STANDARD',
  'MAZ_STANDARD_IA',
  'MAZ_INTELLIGENT_TIERING',
  'MAZ_ARCHIVE'
] as const

export type StorageClass = (typeof STORAGE_CLASSES)[number]

/** The storage class named by a header value; STANDARD when absent. */
export function parseStorageClass(value: string | undefined): StorageClass {
  if (value === undefined || value === '') return 'STANDARD'
  const upper = value.toUpperCase()
  if ((STORAGE_CLASSES as readonly string[]).includes(upper)) return upper as StorageClass
  throw new CosError('InvalidArgument', `The storage class "${value}" is not supported.`)
}
