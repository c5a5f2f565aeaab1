import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/reliability/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The AWS SDK (a test client) warns on every worker that it will want Node 22 from 2027.
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // Reliability suites run short here; `npm run test:reliability` sets full.
      COS_LOCAL_RELIABILITY: process.env.COS_LOCAL_RELIABILITY ?? 'short'
    }
  }
})
