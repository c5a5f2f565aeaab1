import { describe, expect, it } from 'vitest'
import {
  aboutText,
  buildMenuTemplate,
  menuCommands,
  menuLocale,
  menuRebuild,
  chooseMenuLocale,
  type MenuItemSpec
} from '../../../main/desktop/menu.ts'

function flatten(items: readonly MenuItemSpec[]): MenuItemSpec[] {
  return items.flatMap((item) => [item, ...flatten(item.submenu ?? [])])
}

const ALL_COMMANDS = [
  'open-data-folder',
  'import-config',
  'export-config',
  'open-readme',
  'copy-endpoint',
  'show-sdk-config',
  'about'
]

describe('application menu', () => {
  for (const platform of ['linux', 'win32', 'darwin']) {
    for (const locale of ['en', 'zh-CN'] as const) {
      it(`has File, Edit, View and Help with every command on ${platform} in ${locale}`, () => {
        const menu = buildMenuTemplate({ locale, platform, isDev: false })
        expect(menuCommands(menu).sort()).toEqual([...ALL_COMMANDS].sort())
        const items = flatten(menu)
        for (const item of items) {
          if (item.type !== 'separator') expect(item.label, JSON.stringify(item)).toBeTruthy()
          if (item.type !== 'separator' && !item.submenu) expect(item.role ?? item.command).toBeTruthy()
        }
        const accelerators = items.flatMap((item) => (item.accelerator ? [item.accelerator] : []))
        expect(new Set(accelerators).size).toBe(accelerators.length)
        expect(items.some((item) => item.role === 'quit')).toBe(true)
        expect(items.some((item) => item.role === 'zoomIn')).toBe(true)
        expect(items.some((item) => item.role === 'paste')).toBe(true)
      })
    }
  }

  it('puts the app menu first on macOS only', () => {
    expect(buildMenuTemplate({ locale: 'en', platform: 'darwin', isDev: false })[0]!.label).toBe('COS Local')
    expect(buildMenuTemplate({ locale: 'en', platform: 'linux', isDev: false })[0]!.label).toBe('File')
  })

  it('offers developer tools only in development', () => {
    const roles = (isDev: boolean): string[] =>
      flatten(buildMenuTemplate({ locale: 'en', platform: 'linux', isDev })).flatMap((item) => item.role ?? [])
    expect(roles(true)).toContain('toggleDevTools')
    expect(roles(false)).not.toContain('toggleDevTools')
  })

  it('speaks Simplified Chinese for Chinese locales', () => {
    const zh = buildMenuTemplate({ locale: 'zh-CN', platform: 'linux', isDev: false })
    expect(zh.map((item) => item.label)).toEqual(['文件', '编辑', '视图', '帮助'])
    expect(flatten(zh).find((item) => item.command === 'open-data-folder')?.label).toBe('打开数据文件夹')
    expect(menuLocale('zh-CN')).toBe('zh-CN')
    expect(menuLocale('zh-Hans-CN')).toBe('zh-CN')
    expect(menuLocale('zh')).toBe('zh-CN')
    expect(menuLocale('en-US')).toBe('en')
    expect(menuLocale('zu')).toBe('en')
    expect(menuLocale(undefined)).toBe('en')
  })

  it('follows the UI language once the page says it, the system language before', () => {
    expect(chooseMenuLocale(undefined, 'zh-CN')).toBe('zh-CN')
    expect(chooseMenuLocale('en', 'zh-CN')).toBe('en')
    expect(chooseMenuLocale('zh-CN', 'en-US')).toBe('zh-CN')
    // Whatever else crosses IPC is ignored: the system language decides.
    for (const junk of ['fr', 'zh', '', 42, null, { locale: 'zh-CN' }])
      expect(chooseMenuLocale(junk, 'en-GB')).toBe('en')
  })

  it('rebuilds the menu only when its language changes', () => {
    // At start: built in the system language.
    expect(menuRebuild(undefined, undefined, 'en-US')).toBe('en')
    // The page loads with the user's stored choice (Chinese): rebuilt in Chinese.
    expect(menuRebuild('en', 'zh-CN', 'en-US')).toBe('zh-CN')
    // The same language again (a reload): nothing to do.
    expect(menuRebuild('zh-CN', 'zh-CN', 'en-US')).toBeUndefined()
    // Back to English from the language menu.
    expect(menuRebuild('zh-CN', 'en', 'en-US')).toBe('en')
    const rebuilt = buildMenuTemplate({ locale: menuRebuild('en', 'zh-CN', 'en-US')!, platform: 'win32', isDev: false })
    expect(rebuilt.map((item) => item.label)).toEqual(['文件', '编辑', '视图', '帮助'])
  })

  it('shows the versions of the app, Electron, Chromium and Node in About', () => {
    const about = aboutText({ app: '0.1.0', electron: '41.7.1', chrome: '146.0.1', node: '24.1.0' }, 'en')
    expect(about.title).toBe('COS Local 0.1.0')
    for (const line of ['Electron 41.7.1', 'Chromium 146.0.1', 'Node.js 24.1.0']) expect(about.detail).toContain(line)
  })
})
