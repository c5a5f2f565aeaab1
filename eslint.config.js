import js from '@eslint/js'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { boundaryRules } from './eslint.boundaries.js'

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
  {
    files: ['main/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...NODE_BUILTINS, 'electron', 'libsql', 'lowdb', 'ws'],
              message: 'main/core is pure: no I/O (architecture §2).'
            }
          ]
        }
      ]
    }
  },
  {
    // Only the Electron shell and the preload bridge import 'electron'; everything else runs in Node alone.
    files: ['main/**', 'renderer/**', 'preload/contract/**'],
    ignores: ['main/electron/**', 'main/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: "Only main/electron and preload/index.ts import 'electron'." }] }
      ]
    }
  },
  {
    // Type-aware rules: a promise is awaited, returned, or handed to something that handles it.
    files: ['main/**/*.ts', 'preload/**/*.ts', 'renderer/src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error'
    }
  },
  boundaryRules
)
