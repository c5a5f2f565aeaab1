import { defineConfig } from '@playwright/test'

// test/e2e/run.js finds a Chromium and passes it here (Debian's /usr/bin/chromium, or
// Playwright's own download where the network allows).
const executablePath = process.env.COS_LOCAL_CHROMIUM || undefined

export default defineConfig({
  testDir: 'test',
  testMatch: ['e2e/**/*.spec.ts', 'electron/**/*.spec.ts'],
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
    }
  }
})
