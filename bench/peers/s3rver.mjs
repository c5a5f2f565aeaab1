// s3rver 3.7.1 as a child process: `node s3rver.mjs DATA_DIR`. Prints "READY <port>".
import S3rver from 's3rver'

const directory = process.argv[2]
const s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory })
const { port } = await s3rver.run()
process.stdout.write(`READY ${port}\n`)
process.on('SIGTERM', () => s3rver.close().then(() => process.exit(0)))
