/**
 * The application menu as plain data, in English and Simplified Chinese. Items carry either an
 * Electron role (edit, zoom, …) or a command the shell handles (open the data folder, import…).
 */

export type MenuCommand =
  'open-data-folder' | 'import-config' | 'export-config' | 'open-readme' | 'copy-endpoint' | 'show-sdk-config' | 'about'

export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front'
  | 'close'

export interface MenuItemSpec {
  label?: string
  role?: MenuRole
  command?: MenuCommand
  accelerator?: string
  type?: 'separator'
  submenu?: MenuItemSpec[]
}

export type MenuLocale = 'en' | 'zh-CN'

/** Any Chinese locale (zh, zh-CN, zh-Hans, zh-TW…) → zh-CN, the UI's Chinese; everything else English. */
export function menuLocale(locale: string | undefined): MenuLocale {
  return /^zh(?:$|[-_])/i.test(locale ?? '') ? 'zh-CN' : 'en'
}

/**
 * The menu's language: the UI's language once the page has told the shell (the user may pick
 * one in the UI that differs from the system's), else the system's. Anything but 'en' or
 * 'zh-CN' from the page is ignored (it crosses IPC untyped).
 */
export function chooseMenuLocale(fromUi: unknown, systemLocale: string | undefined): MenuLocale {
  return fromUi === 'en' || fromUi === 'zh-CN' ? fromUi : menuLocale(systemLocale)
}

/** The language to rebuild the menu in, or undefined when the installed menu is already in it. */
export function menuRebuild(
  installed: MenuLocale | undefined,
  fromUi: unknown,
  systemLocale: string | undefined
): MenuLocale | undefined {
  const wanted = chooseMenuLocale(fromUi, systemLocale)
  return wanted === installed ? undefined : wanted
}

const TEXT = {
  en: {
    file: 'File',
    openDataFolder: 'Open Data Folder',
    importConfig: 'Import serverless.yml / template.yaml…',
    exportConfig: 'Export serverless.yml…',
    quit: 'Quit',
    close: 'Close Window',
    edit: 'Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    view: 'View',
    reload: 'Reload',
    forceReload: 'Force Reload',
    devTools: 'Toggle Developer Tools',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    fullScreen: 'Toggle Full Screen',
    window: 'Window',
    minimize: 'Minimize',
    zoom: 'Zoom',
    front: 'Bring All to Front',
    help: 'Help',
    readme: 'README',
    copyEndpoint: 'Copy COS Endpoint',
    sdkConfig: 'SDK Configuration…',
    about: 'About COS Local',
    services: 'Services',
    hide: 'Hide COS Local',
    hideOthers: 'Hide Others',
    unhide: 'Show All'
  },
  'zh-CN': {
    file: '文件',
    openDataFolder: '打开数据文件夹',
    importConfig: '导入 serverless.yml / template.yaml…',
    exportConfig: '导出 serverless.yml…',
    quit: '退出',
    close: '关闭窗口',
    edit: '编辑',
    undo: '撤销',
    redo: '重做',
    cut: '剪切',
    copy: '复制',
    paste: '粘贴',
    selectAll: '全选',
    view: '视图',
    reload: '重新加载',
    forceReload: '强制重新加载',
    devTools: '切换开发者工具',
    resetZoom: '实际大小',
    zoomIn: '放大',
    zoomOut: '缩小',
    fullScreen: '切换全屏',
    window: '窗口',
    minimize: '最小化',
    zoom: '缩放',
    front: '全部置于顶层',
    help: '帮助',
    readme: '使用说明（README）',
    copyEndpoint: '复制 COS 访问地址',
    sdkConfig: 'SDK 配置…',
    about: '关于 COS Local',
    services: '服务',
    hide: '隐藏 COS Local',
    hideOthers: '隐藏其他',
    unhide: '全部显示'
  }
} as const satisfies Record<MenuLocale, Record<string, string>>

export function menuText(locale: MenuLocale): (typeof TEXT)[MenuLocale] {
  return TEXT[locale]
}

const separator: MenuItemSpec = { type: 'separator' }

export function buildMenuTemplate(options: {
  locale: MenuLocale
  platform: string
  /** Developer tools only in development builds. */
  isDev: boolean
}): MenuItemSpec[] {
  const t = TEXT[options.locale]
  const mac = options.platform === 'darwin'
  const menu: MenuItemSpec[] = []
  if (mac) {
    menu.push({
      label: 'COS Local',
      submenu: [
        { label: t.about, command: 'about' },
        separator,
        { label: t.services, role: 'services' },
        separator,
        { label: t.hide, role: 'hide' },
        { label: t.hideOthers, role: 'hideOthers' },
        { label: t.unhide, role: 'unhide' },
        separator,
        { label: t.quit, role: 'quit' }
      ]
    })
  }
  menu.push({
    label: t.file,
    submenu: [
      { label: t.openDataFolder, command: 'open-data-folder', accelerator: 'CmdOrCtrl+Shift+D' },
      separator,
      { label: t.importConfig, command: 'import-config', accelerator: 'CmdOrCtrl+I' },
      { label: t.exportConfig, command: 'export-config', accelerator: 'CmdOrCtrl+E' },
      separator,
      mac ? { label: t.close, role: 'close' } : { label: t.quit, role: 'quit' }
    ]
  })
  menu.push({
    label: t.edit,
    submenu: [
      { label: t.undo, role: 'undo' },
      { label: t.redo, role: 'redo' },
      separator,
      { label: t.cut, role: 'cut' },
      { label: t.copy, role: 'copy' },
      { label: t.paste, role: 'paste' },
      { label: t.selectAll, role: 'selectAll' }
    ]
  })
  menu.push({
    label: t.view,
    submenu: [
      { label: t.reload, role: 'reload' },
      ...(options.isDev ? [{ label: t.forceReload, role: 'forceReload' } as const] : []),
      ...(options.isDev ? [{ label: t.devTools, role: 'toggleDevTools' } as const] : []),
      separator,
      { label: t.resetZoom, role: 'resetZoom' },
      { label: t.zoomIn, role: 'zoomIn' },
      { label: t.zoomOut, role: 'zoomOut' },
      separator,
      { label: t.fullScreen, role: 'togglefullscreen' }
    ]
  })
  if (mac) {
    menu.push({
      label: t.window,
      submenu: [
        { label: t.minimize, role: 'minimize' },
        { label: t.zoom, role: 'zoom' },
        separator,
        { label: t.front, role: 'front' }
      ]
    })
  }
  menu.push({
    label: t.help,
    submenu: [
      { label: t.readme, command: 'open-readme' },
      separator,
      { label: t.copyEndpoint, command: 'copy-endpoint' },
      { label: t.sdkConfig, command: 'show-sdk-config' },
      ...(mac ? [] : [separator, { label: t.about, command: 'about' } as const])
    ]
  })
  return menu
}

export interface Versions {
  app: string
  electron: string
  chrome: string
  node: string
}

/** The About box: the app's version and those of Electron, Chromium and Node. */
export function aboutText(versions: Versions, locale: MenuLocale): { title: string; detail: string } {
  const zh = locale === 'zh-CN'
  return {
    title: `COS Local ${versions.app}`,
    detail: [
      zh ? '本地腾讯云 COS 与 SCF COS 触发器模拟器' : 'Tencent Cloud COS and SCF COS triggers, offline',
      '',
      `COS Local ${versions.app}`,
      `Electron ${versions.electron}`,
      `Chromium ${versions.chrome}`,
      `Node.js ${versions.node}`
    ].join('\n')
  }
}

/** Every command the template refers to (the glue must handle each one). */
export function menuCommands(template: readonly MenuItemSpec[]): MenuCommand[] {
  const found: MenuCommand[] = []
  const visit = (items: readonly MenuItemSpec[]): void => {
    for (const item of items) {
      if (item.command) found.push(item.command)
      if (item.submenu) visit(item.submenu)
    }
  }
  visit(template)
  return found
}
