#!/usr/bin/env node
// `npm run test:reliability`: the reliability suites at full size (kill -9 rounds, 10,000
// fuzzed requests, property runs, faults, a 10-minute soak). `npm test` runs them short.
import { spawnSync } from 'node:child_process'

const result = spawnSync('npx', ['vitest', 'run', 'test/reliability', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, COS_LOCAL_RELIABILITY: 'full' }
})
process.exit(result.status ?? 1)
