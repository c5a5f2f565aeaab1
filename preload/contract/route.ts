/**
 * The shape of one app-API route and the types derived from a table of them: what a client
 * sends (`RouteInput`), what it gets back (`RouteOutput`) and what the server's handler for it
 * receives and returns (`Handlers`). The table itself is `routes.ts`.
 *
 * Query values cross as strings, so query schemas are objects of strings (use `wholeNumber()`
 * for counts and ids). Schemas are strict: unknown fields are rejected, nothing is coerced.
 * Response schemas describe plain JSON and must not transform (the server checks them in
 * tests and development; the JSON it sends is what the handler returned).
 */
import { z } from 'zod'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteSpec {
  method: HttpMethod
  /** `/api/...`; `:name` segments are path parameters (decoded strings, never empty). */
  path: string
  /** Query string (`?a=b`), validated on the server. Omitted: the route takes no query. */
  query?: z.ZodType
  /** JSON body, validated on the server. Omitted: the route takes no body. */
  body?: z.ZodType
  response: z.ZodType
}

export type RouteTable = Record<string, RouteSpec>

/** Declares a route with its literal method and path kept (so path parameters are typed). */
export function route<const Spec extends RouteSpec>(spec: Spec): Spec {
  return spec
}

/** A whole number in a query string (`?limit=20`): a client may pass 20 or '20'; the handler gets 20. */
export function wholeNumber() {
  return z.union(
    [
      z.number().int().nonnegative(),
      z
        .string()
        .regex(/^\d{1,15}$/)
        .transform((text) => Number(text))
    ],
    { error: 'expected a whole number' }
  )
}

/** What every failed call answers: COS codes (`NoSuchBucket`, …) are kept. */
export const ApiErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) })
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>

type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never

export type PathParams<Path extends string> = { [Name in ParamNames<Path>]: string }

type SchemaIn<S> = S extends z.ZodType ? z.input<S> : undefined
type SchemaOut<S> = S extends z.ZodType ? z.output<S> : undefined

type ParamsPart<R extends RouteSpec> = [ParamNames<R['path']>] extends [never]
  ? unknown
  : { params: PathParams<R['path']> }
type QueryPart<R extends RouteSpec> = R['query'] extends z.ZodType
  ? object extends SchemaIn<R['query']>
    ? { query?: SchemaIn<R['query']> }
    : { query: SchemaIn<R['query']> }
  : unknown
type BodyPart<R extends RouteSpec> = R['body'] extends z.ZodType ? { body: SchemaIn<R['body']> } : unknown

/** What a client passes for a route: `{ params, query, body }`, each only when the route has it. */
export type RouteInput<R extends RouteSpec> = ParamsPart<R> & QueryPart<R> & BodyPart<R>

/** What a route answers (with status 200). */
export type RouteOutput<R extends RouteSpec> = z.output<R['response']>

/** What the server hands a route's handler: parsed, validated parameters, query and body. */
export interface HandlerInput<R extends RouteSpec> {
  params: PathParams<R['path']>
  query: R['query'] extends z.ZodType ? SchemaOut<R['query']> : Record<string, never>
  body: SchemaOut<R['body']>
  /** Aborted when the client goes away (for long polls). */
  signal: AbortSignal
}

export type Handler<R extends RouteSpec> = (input: HandlerInput<R>) => RouteOutput<R> | Promise<RouteOutput<R>>

/** One handler per route name: a missing or mistyped handler is a type error. */
export type Handlers<T extends RouteTable> = { [Name in keyof T]: Handler<T[Name]> }

/** The handlers of one group of routes (`'functions'` → `functions.list`, `functions.create`, …). */
export type GroupHandlers<T extends RouteTable, Group extends string> = Handlers<
  Pick<T, Extract<keyof T, `${Group}.${string}`>>
>
