/** Sorts a folder's rows off the page's main thread (row-order.ts); answers with the order. */
import { sortOrder, type SortColumn, type SortKeys } from './row-order.ts'

export interface SortRequest {
  id: number
  keys: SortKeys
  column: SortColumn
  descending: boolean
}

export interface SortAnswer {
  id: number
  order: Uint32Array
}

// A dedicated worker's global scope (the web tsconfig has the DOM's types, not the worker's).
const scope = self as unknown as {
  onmessage: (event: MessageEvent<SortRequest>) => void
  postMessage: (answer: SortAnswer, transfer: Transferable[]) => void
}

scope.onmessage = (event) => {
  const { id, keys, column, descending } = event.data
  const order = sortOrder(keys, column, descending)
  scope.postMessage({ id, order }, [order.buffer])
}
