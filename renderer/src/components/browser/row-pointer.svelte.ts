/**
 * What the object list and the object grid share: the keyboard cursor over the folder's rows,
 * the anchor a Shift-click or Shift-move selects from, what a click, a row's checkbox and a
 * right-click do to them and to the selection, the restore status an archived row shows and
 * dragging a file row out to the desktop.
 */
import { dragObjectOut } from '../../lib/desktop.ts'
import { formatDate } from '../../lib/format.ts'
import { t } from '../../lib/i18n/locale.svelte.ts'
import type { ObjectsStore, Row } from '../../lib/stores/objects.svelte.ts'
import { isArchived, parseRestore } from './archive.ts'

export class RowPointer {
  cursor = $state(-1)
  anchor = -1
  readonly #objects: () => ObjectsStore
  readonly #rows: () => readonly Row[]

  /** Getters, so a component's props and derived rows are read when used. */
  constructor(objects: () => ObjectsStore, rows: () => readonly Row[]) {
    this.#objects = objects
    this.#rows = rows
  }

  reset(): void {
    this.cursor = -1
    this.anchor = -1
  }

  /** Selects exactly the rows from `from` to `to` (either order). */
  selectRange(from: number, to: number): void {
    const [low, high] = from < to ? [from, to] : [to, from]
    this.#objects().selected.clear()
    for (const item of this.#rows().slice(low, high + 1)) this.#objects().selected.add(item.key)
  }

  /** A click on a row: it alone, Ctrl/Cmd toggles it, Shift selects the range from the anchor. */
  click(event: MouseEvent, index: number, row: Row): void {
    this.cursor = index
    if (event.shiftKey && this.anchor >= 0) {
      this.selectRange(this.anchor, index)
      return
    }
    if (!(event.ctrlKey || event.metaKey)) this.#objects().selected.clear()
    this.#objects().toggle(row.key)
    this.anchor = index
  }

  /** A row's checkbox: sets that row, or with Shift every row from the anchor, to its state. */
  check(event: MouseEvent, index: number, row: Row): void {
    const on = (event.currentTarget as HTMLInputElement).checked
    if (event.shiftKey && this.anchor >= 0) {
      const [low, high] = this.anchor < index ? [this.anchor, index] : [index, this.anchor]
      for (const item of this.#rows().slice(low, high + 1)) this.#objects().toggle(item.key, on)
    } else this.#objects().toggle(row.key, on)
    this.anchor = index
    this.cursor = index
  }

  /** A right-click: the cursor moves there and an unselected row becomes the selection. */
  contextMenu(event: MouseEvent, index: number, row: Row, open: (event: MouseEvent, row: Row) => void): void {
    event.preventDefault()
    this.cursor = index
    if (!this.#objects().selected.has(row.key)) {
      this.#objects().selected.clear()
      this.#objects().selected.add(row.key)
    }
    open(event, row)
  }
}

/** "restoring" / "restored until …" for an archived object (its status is fetched once), else ''. */
export function restoreLabel(objects: ObjectsStore, row: Row): string {
  if (row.kind === 'folder' || !isArchived(row.entry.storageClass)) return ''
  const key = row.entry.key
  const header = objects.restoreStatus.get(key)
  if (header === undefined) queueMicrotask(() => void objects.loadRestoreStatus(key))
  const state = parseRestore(header ?? '')
  if (state.state === 'restoring') return t('restoring')
  if (state.state === 'restored') return t('restored until {date}', { date: formatDate(state.until) })
  return ''
}

/** Desktop app: a file row dragged out becomes the object's file (folders are not dragged). */
export function dragRowOut(event: DragEvent, objects: ObjectsStore, row: Row): void {
  if (row.kind === 'folder') return
  dragObjectOut(event, {
    bucket: objects.bucket,
    key: row.entry.key,
    name: row.name,
    versionId: row.kind === 'version' ? row.version.versionId : undefined
  })
}
