/** Text the core sends as a message and its values (preload/contract/core-text.ts), in the UI's language. */
import type { CoreText } from '../../../preload/contract/core-text.ts'
import { t } from './i18n/locale.svelte.ts'

export function coreText(message: CoreText): string {
  if (!message.params) return t(message.text)
  const values: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(message.params))
    values[name] = typeof value === 'object' ? coreText(value) : value
  return t(message.text, values)
}
