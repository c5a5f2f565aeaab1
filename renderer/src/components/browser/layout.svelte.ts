/** The object view's layout, list or grid (thumbnails); remembered in localStorage. */
export type BrowserLayout = 'list' | 'grid'

const STORAGE_KEY = 'cos-local.browser-layout'

function stored(): BrowserLayout {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'grid' ? 'grid' : 'list'
  } catch {
    return 'list'
  }
}

class LayoutState {
  current = $state<BrowserLayout>(stored())

  set(layout: BrowserLayout): void {
    this.current = layout
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, layout)
    } catch {
      // Storage refused (private mode): the choice lasts for this page only.
    }
  }
}

export const browserLayout = new LayoutState()
