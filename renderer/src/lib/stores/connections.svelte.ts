/**
 * Where the object browser points: the embedded COS Local (default) or a saved connection to
 * another COS endpoint. The list comes from the app API (secrets masked); the choice is
 * remembered in this browser.
 */
import type { ConnectionInfo, CreateConnectionRequest } from '../../../../preload/contract/connections.ts'
import { client } from '../api.ts'
import { CosClient } from '../cos/client.ts'
import { describeError } from '../cos/cos-error.ts'
import { isDesktop } from '../desktop.ts'

const STORAGE_KEY = 'cos-local.connection'
export const LOCAL = 'local'

export class ConnectionsStore {
  list = $state<ConnectionInfo[]>([])
  active = $state(globalThis.localStorage?.getItem(STORAGE_KEY) ?? LOCAL)
  error = $state('')

  /** The saved connection being browsed, or undefined for the embedded instance. */
  get current(): ConnectionInfo | undefined {
    return this.list.find((item) => item.id === this.active)
  }

  /** `answer`: the list already asked for (at the app's start). */
  async refresh(answer = client().connections.list()): Promise<void> {
    try {
      this.list = (await answer).items
      this.error = ''
    } catch (error) {
      this.error = describeError(error)
    }
    if (this.active !== LOCAL && !this.current) this.choose(LOCAL)
  }

  choose(id: string): void {
    // The open bucket and folder belong to the endpoint being left: start the next one at its top.
    if (id !== this.active && globalThis.location?.hash) {
      history.replaceState(history.state, '', `${location.pathname}${location.search}`)
    }
    this.active = id
    if (id === LOCAL) globalThis.localStorage?.removeItem(STORAGE_KEY)
    else globalThis.localStorage?.setItem(STORAGE_KEY, id)
  }

  /**
   * Save a connection, then try it (GET Service through the SDK, signed by the app API). A
   * connection that fails is removed again and the COS error is thrown (e.g.
   * "SignatureDoesNotMatch: …", "InvalidAccessKeyId: …"). In the desktop app the page reloads
   * onto the new connection instead, and its bucket list shows any error.
   */
  async add(body: CreateConnectionRequest): Promise<ConnectionInfo> {
    const saved = await client().connections.create({ body })
    if (isDesktop()) {
      // The desktop window's CSP names every endpoint the page may reach, fixed when the page
      // loads: open the new connection in a fresh page, whose CSP includes it.
      this.choose(saved.id)
      globalThis.location.reload()
      return saved
    }
    const cos = new CosClient({
      endpoint: saved.endpoint,
      secretId: '',
      secretKey: '',
      defaultRegion: saved.region,
      sign: (request) => client().connections.sign({ params: { id: saved.id }, body: request })
    })
    try {
      await cos.listBuckets()
    } catch (error) {
      await client().connections.remove({ params: { id: saved.id } })
      throw error
    }
    await this.refresh()
    return saved
  }

  async remove(id: string): Promise<void> {
    await client().connections.remove({ params: { id } })
    if (this.active === id) this.choose(LOCAL)
    await this.refresh()
  }
}

export const connections = new ConnectionsStore()
