/**
 * Hot reload: a function created from a folder keeps watching that folder (fs.watch,
 * recursive, debounced). When files change, `reload(name, dir)` runs once the edits settle
 * — the functions API reinstalls the code, which recycles warm instances, so the next
 * invocation runs the new code.
 */
import { watch, type FSWatcher } from 'node:fs'
import { join, resolve, sep } from 'node:path'

const IGNORED = new Set(['.git', '__pycache__', '.DS_Store'])

export interface CodeWatcherOptions {
  /** Called once the folder has been quiet for `debounceMs` after a change. */
  reload(name: string, dir: string): void
  /** The folder cannot be watched (gone, no permission). */
  failed?(name: string, dir: string, error: Error): void
  debounceMs?: number
  /** Changes under this folder never count (COS Local's own data folder, if it sits inside the code's). */
  ignoreUnder?: string
}

interface Watch {
  dir: string
  watcher: FSWatcher
  timer?: ReturnType<typeof setTimeout>
}

export class CodeWatcher {
  readonly #options: CodeWatcherOptions
  readonly #watches = new Map<string, Watch>()

  constructor(options: CodeWatcherOptions) {
    this.#options = options
  }

  /** Watch `dir` for function `name` (replacing an earlier watch of that function). */
  watch(name: string, dir: string): void {
    const current = this.#watches.get(name)
    if (current?.dir === dir) return
    this.unwatch(name)
    let watcher: FSWatcher
    try {
      watcher = watch(dir, { recursive: true, persistent: false }, (_, file) => {
        if (!this.#counts(dir, file === null ? undefined : String(file))) return
        this.#changed(name)
      })
    } catch (error) {
      this.#options.failed?.(name, dir, error as Error)
      return
    }
    watcher.on('error', (error) => {
      this.unwatch(name)
      this.#options.failed?.(name, dir, error)
    })
    this.#watches.set(name, { dir, watcher })
  }

  unwatch(name: string): void {
    const current = this.#watches.get(name)
    if (!current) return
    if (current.timer) clearTimeout(current.timer)
    current.watcher.close()
    this.#watches.delete(name)
  }

  watched(name: string): string | undefined {
    return this.#watches.get(name)?.dir
  }

  stop(): void {
    for (const name of [...this.#watches.keys()]) this.unwatch(name)
  }

  #counts(dir: string, file: string | undefined): boolean {
    if (file === undefined) return true
    if (file.split(sep).some((part) => IGNORED.has(part))) return false
    const under = this.#options.ignoreUnder && resolve(this.#options.ignoreUnder)
    const path = join(dir, file)
    return !under || (path !== under && !path.startsWith(under + sep))
  }

  #changed(name: string): void {
    const current = this.#watches.get(name)
    if (!current) return
    if (current.timer) clearTimeout(current.timer)
    current.timer = setTimeout(() => {
      current.timer = undefined
      if (this.#watches.get(name) === current) this.#options.reload(name, current.dir)
    }, this.#options.debounceMs ?? 200)
    current.timer.unref?.()
  }
}
