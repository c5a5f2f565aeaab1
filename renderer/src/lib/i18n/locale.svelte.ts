/**
 * UI language: English or Simplified Chinese. Follows the system language until the user
 * picks one, which is remembered. Messages are written in English in the components and
 * looked up in the zh-CN table (English stays when a message has no translation).
 */
import { zhCN } from './zh-CN.ts'

export type Locale = 'en' | 'zh-CN'
export type LocaleChoice = Locale | 'system'

const STORAGE_KEY = 'cos-local.locale'

function systemLocale(): Locale {
  const languages = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? 'en']
  return languages.some((language) => /^zh\b/i.test(language)) ? 'zh-CN' : 'en'
}

function storedChoice(): LocaleChoice {
  const value = globalThis.localStorage?.getItem(STORAGE_KEY)
  return value === 'en' || value === 'zh-CN' ? value : 'system'
}

class LocaleState {
  choice = $state<LocaleChoice>(storedChoice())
  current = $derived<Locale>(this.choice === 'system' ? systemLocale() : this.choice)

  set(choice: LocaleChoice): void {
    this.choice = choice
    if (choice === 'system') globalThis.localStorage?.removeItem(STORAGE_KEY)
    else globalThis.localStorage?.setItem(STORAGE_KEY, choice)
    document.documentElement.lang = this.current
  }
}

export const locale = new LocaleState()

/** The message in the current language, with `{name}` placeholders filled in. */
export function t(message: string, values?: Record<string, string | number>): string {
  const text = locale.current === 'zh-CN' ? (zhCN[message] ?? message) : message
  if (!values) return text
  return text.replace(/\{(\w+)\}/g, (whole: string, name: string) => (name in values ? String(values[name]) : whole))
}

/** "1 file" / "3 files" in English; Chinese has no plural. */
export function plural(count: number, one: string, many: string): string {
  return t(count === 1 ? one : many, { count })
}
