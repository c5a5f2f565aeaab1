/** Request validation for route handlers: strict zod parsing, errors as 400 ApiErrors. */
import type { z } from 'zod'
import { ApiError } from '../router.ts'

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {})
  if (!result.success) throw new ApiError('InvalidRequest', describeIssues(result.error), 400)
  return result.data
}

export function parseQuery<T extends z.ZodType>(schema: T, query: URLSearchParams): z.infer<T> {
  return parseBody(schema, Object.fromEntries(query))
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ')
}

export function optionalInt(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text)
}
