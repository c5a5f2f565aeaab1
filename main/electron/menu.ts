/** The application menu: the pure template (main/desktop/menu.ts) bound to the shell's commands. */
import { Menu, type MenuItemConstructorOptions } from 'electron'
import type { MenuCommand, MenuItemSpec } from '../desktop/menu.ts'

export type CommandHandlers = Record<MenuCommand, () => void>

function toElectron(item: MenuItemSpec, handlers: CommandHandlers): MenuItemConstructorOptions {
  if (item.type === 'separator') return { type: 'separator' }
  const command = item.command
  return {
    label: item.label,
    role: item.role,
    accelerator: item.accelerator,
    click: command ? () => handlers[command]() : undefined,
    submenu: item.submenu?.map((child) => toElectron(child, handlers))
  }
}

export function installMenu(template: MenuItemSpec[], handlers: CommandHandlers): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(template.map((item) => toElectron(item, handlers))))
}
