/**
 * The newest invocations of every function, for the Logs tab's list of runs: loaded when the
 * list first shows, then kept current by the push channel's invocation messages (a start, a
 * retry, an end each replace the invocation's row), merged once per animation frame so a burst
 * of runs costs one render a frame. Bounded to MAX_RUNS, newest first.
 */
import type { Invocation } from '../../../../preload/contract/invocations.ts'
import { api } from '../api.ts'
import { describeError } from '../cos/cos-error.ts'
import { frameBatch } from '../frame-batch.ts'
import { LiveDuringFetch } from '../live-during-fetch.ts'

export const MAX_RUNS = 200

export class RunsStore {
  list = $state.raw<Invocation[]>([])
  loaded = $state(false)
  error = $state('')
  /** Pushed while the first page is on its way: they go over its answer. */
  #live = new LiveDuringFetch<string, Invocation>()
  /** Received and not merged yet (the newest state per request id; not reactive: `list` is). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pending = new Map<string, Invocation>()
  readonly #scheduleMerge = frameBatch(() => this.#merge())

  async load(): Promise<void> {
    try {
      const { answer, live } = await this.#live.fetch(() => api.invocationList({ limit: 100 }))
      this.list = answer.invocations
      for (const invocation of live) this.receive(invocation)
      this.loaded = true
      this.error = ''
    } catch (failure) {
      this.error = describeError(failure)
    }
  }

  receive(invocation: Invocation): void {
    this.#live.note(invocation.requestId, invocation)
    this.#pending.set(invocation.requestId, invocation)
    this.#scheduleMerge()
  }

  #merge(): void {
    const list = [...this.list]
    const added: Invocation[] = []
    for (const invocation of this.#pending.values()) {
      const at = list.findIndex((item) => item.requestId === invocation.requestId)
      if (at >= 0) list[at] = invocation
      else added.push(invocation)
    }
    this.#pending.clear()
    added.sort((a, b) => b.createdAt - a.createdAt)
    this.list = [...added, ...list].slice(0, MAX_RUNS)
  }
}
