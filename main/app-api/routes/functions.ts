/** App-API handlers for functions: CRUD, templates and test invokes. */
import type { GroupHandlers } from '../../../preload/contract/route.ts'
import type { AppRoutes } from '../../../preload/contract/routes.ts'
import type { EventSystem } from '../services.ts'

export function functionHandlers(events: EventSystem): GroupHandlers<AppRoutes, 'functions'> {
  return {
    'functions.list': () => ({ functions: events.functions.list() }),
    'functions.create': ({ body }) => events.functions.create(body),
    'functions.get': ({ params }) => events.functions.get(params.name),
    'functions.update': ({ params, body }) => events.functions.update(params.name, body),
    'functions.remove': ({ params }) => {
      events.functions.remove(params.name)
      return { deleted: params.name }
    },
    'functions.invoke': ({ params, body }) => events.functions.invoke(params.name, body),
    'functions.debug': ({ params, body }) => events.functions.debug(params.name, body.enabled),
    'functions.codeFiles': ({ params }) => events.functions.codeFiles(params.name),
    'functions.readCode': ({ params, query }) => events.functions.readCode(params.name, query.path),
    'functions.writeCode': ({ params, body }) => events.functions.writeCode(params.name, body.path, body.content),
    'functions.createCode': ({ params, body }) => events.functions.createCode(params.name, body.path, body.content),
    'functions.moveCode': ({ params, body }) => events.functions.moveCode(params.name, body.from, body.to),
    'functions.deleteCode': ({ params, query }) => events.functions.deleteCode(params.name, query.path),
    'functions.templates': () => ({ templates: events.functions.templates() }),
    'functions.status': () => ({ functions: events.functionStatus() })
  }
}
