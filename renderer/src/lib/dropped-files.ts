/**
 * Files from a drop or a file input, with the relative paths that become object keys.
 * Folders come through `webkitGetAsEntry` where the browser offers it (Chromium, Electron).
 */

export interface PickedFile {
  file: File
  /** Path relative to the drop target, `/`-separated (folder/sub/file.txt). */
  path: string
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = []
    const next = (): void =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all)
        else {
          all.push(...batch)
          next()
        }
      }, reject)
    next()
  })
}

async function walk(entry: FileSystemEntry, base: string, out: PickedFile[]): Promise<void> {
  const path = base ? `${base}/${entry.name}` : entry.name
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))
    out.push({ file, path })
  } else if (entry.isDirectory) {
    const entries = await readAll((entry as FileSystemDirectoryEntry).createReader())
    for (const child of entries) await walk(child, path, out)
  }
}

/**
 * Collects dropped files and folders. Must be called synchronously inside the drop handler:
 * the DataTransfer's items are readable only during the event.
 */
export function droppedFiles(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries: FileSystemEntry[] = []
  const plain: File[] = []
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue
    const entry = item.webkitGetAsEntry?.()
    if (entry) entries.push(entry)
    else {
      const file = item.getAsFile()
      if (file) plain.push(file)
    }
  }
  if (entries.length === 0 && plain.length === 0) plain.push(...Array.from(transfer.files))
  return (async () => {
    const out: PickedFile[] = plain.map((file) => ({ file, path: file.name }))
    for (const entry of entries) await walk(entry, '', out)
    return out
  })()
}

/** Files chosen in an `<input type=file>` (with `webkitRelativePath` for folder pickers). */
export function pickedFiles(list: FileList): PickedFile[] {
  return Array.from(list, (file) => ({ file, path: file.webkitRelativePath || file.name }))
}
