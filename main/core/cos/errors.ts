/**
 * COS error codes and their HTTP status (COS API doc 436/7730). Handlers throw CosError;
 * the HTTP layer turns it into COS error XML with all five nodes.
 */
const STATUS: Record<string, number> = {
  BadDigest: 400,
  BucketNameTooLong: 400,
  BucketVersionNotOpen: 400,
  EntitySizeNotMatch: 400,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  ExpiredToken: 400,
  IncompleteBody: 400,
  IncorrectNumberOfFilesInPostRequest: 400,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidCopySource: 400,
  InvalidDigest: 400,
  InvalidObjectName: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidPolicyDocument: 400,
  InvalidRegionName: 400,
  InvalidRequest: 400,
  InvalidTag: 400,
  InvalidUploadStatus: 400,
  InvalidURI: 400,
  KeyTooLong: 400,
  MalformedPOSTRequest: 400,
  MalformedXML: 400,
  MissingRequestBodyError: 400,
  NotifyRuleEventConflict: 400,
  NotifyRulePrefixConflict: 400,
  NotifyRuleSuffixConflict: 400,
  NotSupportedStorageClass: 400,
  RequestTimeout: 400,
  TooManyBuckets: 400,
  XMLSizeLimit: 400,
  AccessDenied: 403,
  AccessForbidden: 403,
  InvalidAccessKeyId: 403,
  InvalidObjectState: 403,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchUpload: 404,
  NoSuchVersion: 404,
  NoSuchCopySource: 404,
  NoSuchCORSConfiguration: 404,
  NoSuchLifecycleConfiguration: 404,
  NoSuchTagSet: 404,
  NoSuchWebsiteConfiguration: 404,
  OriginConfigurationNotFoundError: 404,
  ReplicationConfigurationNotFoundError: 404,
  MethodNotAllowed: 405,
  RestoreNonArchiveObject: 405,
  UploadIdNotSupported: 405,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  InvalidBucketState: 409,
  ObjectLocked: 409,
  PathConflict: 409,
  RestoreAlreadyInProgress: 409,
  UploadConflict: 409,
  MissingContentLength: 411,
  PreconditionFailed: 412,
  InvalidRange: 416,
  InternalError: 500,
  NotImplemented: 501,
  ServiceUnavailable: 503,
  SlowDown: 503
}

export type CosErrorCode = keyof typeof STATUS | (string & {})

export class CosError extends Error {
  readonly code: CosErrorCode
  readonly status: number
  /** Extra response headers (e.g. x-cos-delete-marker on a 404 of a delete marker). */
  readonly headers: Record<string, string>

  constructor(
    code: CosErrorCode,
    message: string,
    options: { status?: number; headers?: Record<string, string> } = {}
  ) {
    super(message)
    this.name = 'CosError'
    this.code = code
    this.status = options.status ?? STATUS[code] ?? 400
    this.headers = options.headers ?? {}
  }
}

export function statusOf(code: string): number {
  return STATUS[code] ?? 400
}
