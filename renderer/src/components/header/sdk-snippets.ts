/** Ready-to-paste client configurations for the emulator's endpoint and credentials. */
import type { AppInfo } from '../../../../preload/contract/info.ts'

export interface Snippet {
  id: string
  title: string
  code: string
}

export function sdkSnippets(info: AppInfo): Snippet[] {
  const { secretId, secretKey } = info.credentials
  const hostPort = info.cosEndpoint.replace(/^https?:\/\//, '')
  const bucket = `examplebucket-${info.appid}`
  return [
    {
      id: 'cos-nodejs-sdk-v5',
      title: 'cos-nodejs-sdk-v5 (Node.js)',
      code: `const COS = require('cos-nodejs-sdk-v5')
const cos = new COS({ SecretId: '${secretId}', SecretKey: '${secretKey}', Protocol: 'http:', Ip: '${hostPort}' })
await cos.putObject({ Bucket: '${bucket}', Region: '${info.region}', Key: 'hello.txt', Body: 'hello' })`
    },
    {
      id: 'cos-js-sdk-v5',
      title: 'cos-js-sdk-v5 (browser)',
      code: `const cos = new COS({ SecretId: '${secretId}', SecretKey: '${secretKey}', Protocol: 'http:', Domain: '${hostPort}/{Bucket}' })
await cos.putObject({ Bucket: '${bucket}', Region: '${info.region}', Key: 'hello.txt', Body: 'hello' })`
    },
    {
      id: 'aws-sdk-v3',
      title: 'AWS SDK for JavaScript v3',
      code: `const { S3Client } = require('@aws-sdk/client-s3')
const s3 = new S3Client({
  endpoint: '${info.cosEndpoint}',
  region: '${info.region}',
  forcePathStyle: true,
  credentials: { accessKeyId: '${secretId}', secretAccessKey: '${secretKey}' }
})`
    },
    {
      id: 'rclone',
      title: 'rclone (rclone.conf)',
      code: `[coslocal]
type = s3
provider = Other
access_key_id = ${secretId}
secret_access_key = ${secretKey}
endpoint = ${info.cosEndpoint}
region = ${info.region}
force_path_style = true`
    }
  ]
}
