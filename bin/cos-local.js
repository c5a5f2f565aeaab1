#!/usr/bin/env node
// Runs the TypeScript CLI directly on Node (tsx registers the loader; no build step).
import { register } from 'tsx/esm/api'

register()
await import('../main/cli.ts')
