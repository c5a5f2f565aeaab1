/** Light, dark, or the system's choice; remembered, applied as `data-theme` on <html>. */
export type ThemeChoice = 'light' | 'dark' | 'system'

const STORAGE_KEY = 'cos-local.theme'

class ThemeState {
  choice = $state<ThemeChoice>(stored())

  set(choice: ThemeChoice): void {
    this.choice = choice
    if (choice === 'system') globalThis.localStorage?.removeItem(STORAGE_KEY)
    else globalThis.localStorage?.setItem(STORAGE_KEY, choice)
    apply(choice)
  }
}

function stored(): ThemeChoice {
  const value = globalThis.localStorage?.getItem(STORAGE_KEY)
  return value === 'light' || value === 'dark' ? value : 'system'
}

function apply(choice: ThemeChoice): void {
  document.documentElement.dataset.theme = choice
}

export const theme = new ThemeState()
apply(theme.choice)
