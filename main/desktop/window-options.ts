/** The main window's constructor options as plain data (the glue hands them to BrowserWindow). */
import { MIN_SIZE, type Rect } from './window-state.ts'
import { secureWebPreferences, type SecureWebPreferences } from './security.ts'

export interface MainWindowOptions extends Rect {
  minWidth: number
  minHeight: number
  title: string
  show: boolean
  backgroundColor: string
  icon?: string
  autoHideMenuBar: boolean
  webPreferences: SecureWebPreferences
}

export function mainWindowOptions(input: {
  bounds: Rect
  preload: string
  darkMode: boolean
  icon?: string
}): MainWindowOptions {
  return {
    ...input.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'COS Local',
    // Shown on 'ready-to-show', so the user never sees an empty white frame.
    show: false,
    // Matches the UI's background (styles.css) in each theme.
    backgroundColor: input.darkMode ? '#16181d' : '#ffffff',
    icon: input.icon,
    autoHideMenuBar: false,
    webPreferences: secureWebPreferences(input.preload)
  }
}
