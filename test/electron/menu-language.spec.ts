import { expect, test } from '@playwright/test'
import { electronMissing, launch, newProfile, type Profile } from './electron-app.ts'

// The application menu follows the UI's language: switching it in the header rebuilds the menu
// (preload setLanguage → main/desktop/menu.ts menuRebuild), and a reload keeps the choice.
test.skip(Boolean(electronMissing), electronMissing)

let profile: Profile
test.beforeEach(() => {
  profile = newProfile()
})
test.afterEach(() => profile.remove())

test('switching the UI language rebuilds the menu in that language', async () => {
  // The system language is English here (LANG is set for the launch), so the menu starts in English.
  profile.env.LANG = 'en_US.UTF-8'
  const { app, window } = await launch(profile)
  try {
    const labels = (): Promise<string[]> =>
      app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((item) => item.label) ?? [])
    await expect(window.getByTestId('cos-endpoint')).toBeVisible()
    await expect.poll(labels).toContain('Help')

    await window.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN')
    await expect.poll(labels).toEqual(expect.arrayContaining(['文件', '编辑', '视图', '帮助']))

    await window.reload()
    await expect(window.getByTestId('cos-endpoint')).toBeVisible()
    await expect.poll(labels).toContain('帮助')

    await window.getByRole('combobox', { name: '语言' }).selectOption('en')
    await expect.poll(labels).toContain('Help')
  } finally {
    await app.close()
  }
})
