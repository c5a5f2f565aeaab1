/**
 * Live updates (push) that arrive while a list is being fetched. The server may have read the
 * list before those changes, so they are laid over its answer, never the other way round: a
 * list answered after the push saying "finished" must not show the item as still running.
 */
export class LiveDuringFetch<K, V> {
  readonly #open = new Set<Map<K, V>>()

  /** A live update: remembered by every fetch on its way (the newest per key). */
  note(key: K, value: V): void {
    for (const live of this.#open) live.set(key, value)
  }

  /** Runs `fetch`; returns its answer with the live updates that arrived meanwhile, oldest first. */
  async fetch<T>(fetch: () => Promise<T>): Promise<{ answer: T; live: V[] }> {
    const live = new Map<K, V>()
    this.#open.add(live)
    try {
      return { answer: await fetch(), live: [...live.values()] }
    } finally {
      this.#open.delete(live)
    }
  }
}
