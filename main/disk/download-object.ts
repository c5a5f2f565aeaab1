/**
 * Download one object to a file in a fresh temp folder, named after the key's last segment, so
 * the desktop shell can drag it out to the OS (webContents.startDrag needs a file on disk).
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { cosRequest, type CosTarget } from './cos-http.ts'

/** A file name for a key that is safe on Windows, macOS and Linux. */
export function fileNameForKey(key: string): string {
  const last = key.replace(/\/+$/, '').split('/').pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const cleaned = last.replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_').replace(/[. ]+$/, '')
  const reserved = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(cleaned)
  const name = cleaned === '' || cleaned === '.' || cleaned === '..' ? 'object' : cleaned
  return (reserved ? `_${name}` : name).slice(0, 200)
}

export async function downloadToTemp(
  target: CosTarget,
  object: { bucket: string; key: string; versionId?: string },
  tempRoot = tmpdir()
): Promise<string> {
  const dir = await mkdtemp(join(tempRoot, 'cos-local-drag-'))
  const file = join(dir, fileNameForKey(object.key))
  try {
    const response = await cosRequest(target, {
      method: 'GET',
      bucket: object.bucket,
      key: object.key,
      query: object.versionId ? [['versionId', object.versionId]] : []
    })
    await pipeline(response, createWriteStream(file))
    return file
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}
