/** App-API handlers: saved connections to other COS endpoints, and signing for them. */
import type { GroupHandlers } from '../../../preload/contract/route.ts'
import type { AppRoutes } from '../../../preload/contract/routes.ts'
import type { ConnectionStore } from '../../connections/connection-store.ts'
import { signQSign } from '../../core/cos/signature-qsign.ts'

export function connectionHandlers(store: ConnectionStore): GroupHandlers<AppRoutes, 'connections'> {
  return {
    'connections.list': () => ({ items: store.list() }),
    'connections.create': ({ body }) => store.create(body, Date.now()),
    'connections.remove': ({ params }) => {
      store.remove(params.id)
      return { deleted: params.id }
    },
    'connections.sign': ({ params, body }) => {
      const secrets = store.secretsOf(params.id)
      const authorization = signQSign({ ...secrets, ...body, nowMs: Date.now() })
      return secrets.sessionToken ? { authorization, securityToken: secrets.sessionToken } : { authorization }
    }
  }
}
