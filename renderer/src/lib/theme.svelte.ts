/**
 * Light, dark, or the system's choice; remembered. The resolved look (`light` or `dark`) is
 * applied as `data-theme` on <html>, so the stylesheet has one dark block and follows a change of
 * the system's setting while the choice is `system`.
 */
export type ThemeChoice = 'light' | 'dark' | 'system'

const STORAGE_KEY = 'cos-local.theme'
const systemQuery = globalThis.matchMedia?.('(prefers-color-scheme: dark)')

class ThemeState {
  choice = $state<ThemeChoice>(stored())
  systemDark = $state(systemQuery?.matches === true)

  /** True when the page is drawn dark, whichever way that was chosen. */
  get dark(): boolean {
    return this.choice === 'dark' || (this.choice === 'system' && this.systemDark)
  }

  set(choice: ThemeChoice): void {
    this.choice = choice
    if (choice === 'system') globalThis.localStorage?.removeItem(STORAGE_KEY)
    else globalThis.localStorage?.setItem(STORAGE_KEY, choice)
    apply()
  }
}

function stored(): ThemeChoice {
  const value = globalThis.localStorage?.getItem(STORAGE_KEY)
  return value === 'light' || value === 'dark' ? value : 'system'
}

function apply(): void {
  document.documentElement.dataset.theme = theme.dark ? 'dark' : 'light'
}

export const theme = new ThemeState()
systemQuery?.addEventListener('change', (event) => {
  theme.systemDark = event.matches
  apply()
})
apply()
