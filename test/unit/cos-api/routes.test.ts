import { describe, expect, it } from 'vitest'
import { CosError } from '../../../main/core/cos/errors.ts'
import { findRoute, type RouteRequest } from '../../../main/cos-api/dispatch.ts'
import { STORED_DOCUMENTS } from '../../../main/cos-api/handlers/bucket-config.ts'
import { SUBRESOURCE_NAMES, subresourcesOf } from '../../../main/cos-api/query-subresources.ts'
import {
  ROUTES,
  UNROUTED_NOT_IMPLEMENTED,
  type Level,
  type Resource,
  type Route
} from '../../../main/cos-api/routes.ts'

function split(resource: Resource): { level: Level; subresource: string } {
  const [level, subresource = ''] = resource.split('?') as [Level, string?]
  return { level, subresource }
}

function request(method: string, resource: Resource, query = '', headers: Record<string, string> = {}): RouteRequest {
  const { level, subresource } = split(resource)
  const params = new URLSearchParams(query)
  if (subresource !== '') params.append(subresource, '')
  return { method, level, query: params, cosHeader: (name) => headers[name] }
}

function outcome(req: RouteRequest): string {
  try {
    return findRoute(req).operation
  } catch (error) {
    if (error instanceof CosError) return `${error.status} ${error.code}`
    throw error
  }
}

describe('the COS route table', () => {
  it.each(ROUTES.map((row) => [row.operation, row] as const))('reaches %s', (_name, row: Route) => {
    const headers: Record<string, string> = row.header === undefined ? {} : { [row.header]: 'b-1/k' }
    expect(findRoute(request(row.method, row.resource, '', headers))).toBe(row)
  })

  it('has no two rows for the same method, resource and header condition', () => {
    const keys = ROUTES.map((row) => `${row.method} ${row.resource} ${row.header ?? ''}`)
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([])
  })

  it('has a row without a header condition beside every row with one', () => {
    for (const row of ROUTES.filter((r) => r.header !== undefined)) {
      const plain = ROUTES.find((r) => r.method === row.method && r.resource === row.resource && !r.header)
      expect(plain, row.operation).toBeDefined()
      expect(findRoute(request(row.method, row.resource))).toBe(plain)
    }
  })

  it('names every routed sub-resource as one, so its valued form (?uploadId=…) is routed too', () => {
    for (const row of ROUTES) {
      const { subresource } = split(row.resource)
      if (subresource !== '') expect(SUBRESOURCE_NAMES.has(subresource), subresource).toBe(true)
    }
  })

  it('routes PUT, GET and DELETE of every stored bucket document', () => {
    for (const name of STORED_DOCUMENTS) {
      for (const method of ['PUT', 'GET', 'DELETE']) {
        expect(outcome(request(method, `bucket?${name}`))).toBe(`${method} Bucket ${name}`)
      }
    }
  })

  it('lists as 501 only resources that have rows, and never a method that has one', () => {
    for (const entry of UNROUTED_NOT_IMPLEMENTED) {
      const rows = ROUTES.filter((row) => row.resource === entry.resource)
      expect(rows.length, entry.resource).toBeGreaterThan(0)
      if (entry.method) expect(rows.map((row) => row.method)).not.toContain(entry.method)
    }
  })
})

describe('requests the table does not route', () => {
  it.each([
    ['PUT', 'service', '', '405 MethodNotAllowed'],
    ['DELETE', 'service', '', '405 MethodNotAllowed'],
    ['GET', 'service', 'cors', '501 NotImplemented'],
    ['PATCH', 'bucket', '', '405 MethodNotAllowed'],
    ['GET', 'bucket', 'somethingnew', '501 NotImplemented'],
    ['GET', 'bucket', 'uploadId=x', '501 NotImplemented'],
    ['PUT', 'bucket', 'uploads', '501 NotImplemented'],
    ['GET', 'bucket', 'delete', '501 NotImplemented'],
    ['DELETE', 'bucket', 'versioning', '501 NotImplemented'],
    ['POST', 'bucket', 'cors', '405 MethodNotAllowed'],
    ['DELETE', 'bucket', 'acl', '405 MethodNotAllowed'],
    ['HEAD', 'bucket', 'acl', '405 MethodNotAllowed'],
    ['POST', 'object', '', '501 NotImplemented'],
    ['PATCH', 'object', '', '405 MethodNotAllowed'],
    ['GET', 'object', 'uploads', '501 NotImplemented'],
    ['HEAD', 'object', 'uploadId=x', '405 MethodNotAllowed'],
    ['GET', 'object', 'cors', '501 NotImplemented'],
    ['GET', 'object', 'select&select-type=2', '501 NotImplemented'],
    ['POST', 'object', 'append&position=0', '501 NotImplemented'],
    ['GET', 'object', 'versioning', '501 NotImplemented'],
    ['GET', 'object', 'acl&select', '501 NotImplemented']
  ] as const)('%s %s ?%s → %s', (method, level, query, expected) => {
    expect(outcome(request(method, level, query))).toBe(expected)
  })
})

describe('requests with parameters beside the sub-resource', () => {
  it.each([
    ['GET', 'object', 'x-id=GetObject&t=123', {}, 'GET Object (origin-pull on a miss)'],
    ['GET', 'object', 'response-content-type=text%2Fplain&versionId=v1', {}, 'GET Object (origin-pull on a miss)'],
    [
      'GET',
      'object',
      'q-sign-algorithm=sha1&q-ak=AK&q-signature=s&x-cos-security-token=t',
      {},
      'GET Object (origin-pull on a miss)'
    ],
    ['GET', 'bucket', 'list-type=2&prefix=a%2F&delimiter=%2F&max-keys=10', {}, 'GET Bucket (List Objects, v1 and v2)'],
    ['GET', 'bucket', 'inventory&id=list1', {}, 'GET Bucket inventory'],
    ['GET', 'bucket', 'versions&key-marker=a&version-id-marker=v', {}, 'GET Bucket Object versions'],
    ['PUT', 'object', 'partNumber=1&uploadId=u', {}, 'Upload Part'],
    ['PUT', 'object', 'partNumber=1&uploadId=u&x-id=UploadPart', { 'copy-source': 'b-1/k' }, 'Upload Part - Copy'],
    ['PUT', 'object', '', { 'copy-source': 'b-1/k' }, 'PUT Object - Copy'],
    ['PUT', 'object', 'acl', { 'copy-source': 'b-1/k' }, 'PUT Object acl'],
    ['GET', 'object', 'tagging&versionId=v1', {}, 'GET Object tagging'],
    ['POST', 'object', 'restore&versionId=v1', {}, 'POST Object restore'],
    ['POST', 'bucket', 'delete=', {}, 'DELETE Multiple Objects']
  ] as const)('%s %s ?%s → %s', (method, level, query, headers, expected) => {
    expect(outcome(request(method, level, query, headers))).toBe(expected)
  })

  it('reads the sub-resources of a query in order, each once, parameters and valued unknowns left out', () => {
    expect(subresourcesOf(new URLSearchParams('prefix=a&uploads&t=1&uploads&tagging=x&foo'))).toEqual([
      'uploads',
      'tagging',
      'foo'
    ])
  })
})
