import js from '@eslint/js'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Imports point inward only (architecture §2): each folder lists what it may not import. */
const layer = (files, patterns, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] }
})

// node:crypto is pure computation (hashes for signatures and ETags), so core/ may use it.
const NODE_BUILTINS = ['node:*', '!node:crypto', 'fs', 'http', 'https', 'child_process', 'net', 'os', 'path']

export default tseslint.config(
  {
    ignores: [
      'out/',
      'dist/',
      'node_modules/',
      'test-results/',
      'bench/results/',
      '**/*.cjs',
      'main/functions/runtimes/'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } }
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error'
    }
  },
  layer(
    ['main/core/**'],
    [
      ...NODE_BUILTINS,
      'electron',
      '../store/*',
      '../../store/*',
      '../storage/*',
      '../../storage/*',
      '../cos-api/*',
      '../../cos-api/*',
      '../bus/*',
      '../../bus/*',
      '../functions/*',
      '../../functions/*',
      '../app-api/*',
      '../../app-api/*',
      'libsql',
      'lowdb',
      'ws'
    ],
    'main/core is pure: no I/O, no adapters (architecture §2).'
  ),
  layer(
    ['main/store/**'],
    [
      'electron',
      '../storage/*',
      '../cos-api/*',
      '../bus/*',
      '../functions/*',
      '../app-api/*',
      '../app.ts',
      '../cli.ts'
    ],
    'main/store is an adapter layer: it may import core/ only.'
  ),
  layer(
    ['main/cos-api/**', 'main/storage/**', 'main/bus/**', 'main/functions/**', 'main/app-api/**'],
    ['electron', '../app.ts', '../cli.ts', '../electron/*'],
    'Services never import the shells (app.ts, cli.ts, electron/).'
  ),
  layer(
    ['main/desktop/**', 'main/disk/**'],
    ['electron', '../electron/*', '../cli.ts'],
    "The desktop shell's decisions stay testable without Electron: only main/electron imports 'electron'."
  ),
  layer(
    ['preload/contract/**'],
    ['../../main/*', '../../main/**', 'electron', 'node:*'],
    'preload/contract is a leaf: types and schemas only.'
  ),
  layer(
    ['renderer/**'],
    ['../main/*', '../../main/*', '../../main/**', '../../../main/**', 'electron', 'node:*'],
    'The renderer talks to the core only through the app API (lib/api.ts) and preload/contract types.'
  )
)
