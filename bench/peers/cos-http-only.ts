/**
 * COS Local's HTTP side alone (`bench/put-cpu.ts --peer http`): the real COS API server
 * (cos-api/server.ts: request id, Host check, target, auth parse, route, the PUT Object handler,
 * stored headers, response headers) on a real storage whose putObject reads the body as an
 * inline PUT does (store/small-body.ts), hashes it (one-shot MD5) and answers its ETag without
 * committing anything. Its CPU per PUT beside the null server's is what our HTTP side costs
 * above node:http (MD5 included); beside COS Local's, what the commit costs. Runs from source
 * (tsx); other requests go to the real storage. Prints "READY <port>".
 */
import { hash } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSystemClock } from '../../main/core/clock.ts'
import { validateKey } from '../../main/core/cos/object-key.ts'
import { startCosServer } from '../../main/cos-api/server.ts'
import { createStorage, type StorageService } from '../../main/storage/create-storage.ts'
import { INLINE_MAX_BYTES } from '../../main/store/inline-blobs.ts'
import { readSmallBody } from '../../main/store/small-body.ts'

const clock = createSystemClock()
const dataDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'cos-http-only-'))
const { storage } = createStorage({ dataDir, clock, appid: '1250000000', defaultRegion: 'ap-guangzhou' })

const httpOnly: StorageService = {
  ...storage,
  async putObject(bucket, key, body, options) {
    validateKey(key)
    storage.getBucket(bucket)
    const bytes = await readSmallBody(body, INLINE_MAX_BYTES)
    if (bytes === undefined) throw new Error('the HTTP-only peer takes bodies up to 64 KiB')
    return {
      bucket,
      key,
      versionId: 'null',
      isLatest: true,
      isDeleteMarker: false,
      blobId: null,
      size: bytes.length,
      etag: hash('md5', bytes, 'hex'),
      lastModified: clock.now(),
      storageClass: options.storageClass,
      headers: options.headers
    }
  }
}

const server = await startCosServer({
  storage: httpOnly,
  host: '127.0.0.1',
  port: 0,
  appid: '1250000000',
  defaultRegion: 'ap-guangzhou',
  clock
})
console.log(`READY ${server.port}`)
