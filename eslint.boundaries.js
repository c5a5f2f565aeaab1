// Import direction, proven by eslint-plugin-boundaries (architecture §2, ARCHITECTURE.md).
// Each folder is a zone; a zone may import only the zones listed for it. Imports point inward:
// shells → app → app-api / cos-api → storage / bus / functions → store → core.
// test/probes/boundaries.test.ts lints one violating probe per forbidden direction.
import boundaries from 'eslint-plugin-boundaries'

/** Zones: where each kind of code lives. The first matching zone wins. */
const ZONES = [
  { type: 'core', pattern: 'main/core', mode: 'folder' },
  { type: 'store', pattern: 'main/store', mode: 'folder' },
  { type: 'storage', pattern: 'main/storage', mode: 'folder' },
  { type: 'bus', pattern: 'main/bus', mode: 'folder' },
  { type: 'functions', pattern: 'main/functions', mode: 'folder' },
  { type: 'cos-api', pattern: 'main/cos-api', mode: 'folder' },
  { type: 'app-api', pattern: 'main/app-api', mode: 'folder' },
  { type: 'electron', pattern: 'main/electron', mode: 'folder' },
  { type: 'desktop', pattern: 'main/desktop', mode: 'folder' },
  { type: 'disk', pattern: 'main/disk', mode: 'folder' },
  { type: 'connections', pattern: 'main/connections', mode: 'folder' },
  { type: 'snapshot', pattern: 'main/snapshot', mode: 'folder' },
  { type: 'api', pattern: 'main/api', mode: 'folder' },
  { type: 'cli', pattern: 'main/cli', mode: 'folder' },
  { type: 'cli', pattern: 'main/{cli,cli-args,serve}.ts', mode: 'file' },
  { type: 'paths', pattern: 'main/paths.ts', mode: 'file' },
  { type: 'app', pattern: 'main/*.ts', mode: 'file' },
  { type: 'contract', pattern: 'preload/contract', mode: 'folder' },
  { type: 'preload', pattern: 'preload/*.ts', mode: 'file' },
  { type: 'renderer', pattern: 'renderer', mode: 'folder' }
]

/**
 * The contract modules the renderer may import as values: plain data and the typed client
 * derived from the route table. Everything else in the contract crosses as types only.
 */
const RENDERER_VALUE_MODULES = ['event-names.ts', 'client.ts', 'route-index.ts', '*-data.ts']

const SERVICES = ['storage', 'bus', 'functions', 'disk', 'connections']

const may = (from, to, message) => ({ from: { type: from }, allow: { to: { type: to } }, message })
const mayTypes = (from, to, message) => ({
  from: { type: from },
  allow: { to: { type: to } },
  importKind: 'type',
  message
})

const POLICIES = [
  may('core', ['core'], 'main/core imports nothing of ours outside main/core.'),
  may('store', ['core', 'store'], 'main/store (adapters) imports main/core only.'),
  ...SERVICES.map((service) =>
    may(service, ['core', 'store', service], `main/${service} imports main/core and the adapters in main/store.`)
  ),
  // Sibling services talk through ports: type-only imports between them, wired by app.ts.
  ...SERVICES.map((service) =>
    mayTypes(service, SERVICES, 'Sibling services import each other only as types (ports); app.ts wires them.')
  ),
  ...SERVICES.map((service) => mayTypes(service, ['contract'], 'Services name the contract data types only.')),
  // Snapshots and seeding span storage and functions: a use case above the services.
  may(
    'snapshot',
    ['core', 'store', 'storage', 'functions', 'snapshot'],
    'main/snapshot imports the services it carries, main/store and main/core.'
  ),
  mayTypes('snapshot', ['contract'], 'main/snapshot names the contract data types only.'),
  may('cos-api', ['core', 'storage', 'cos-api'], 'main/cos-api imports services and main/core only.'),
  mayTypes('cos-api', ['store', 'bus', 'functions', 'contract'], 'main/cos-api may name adapter types only.'),
  may(
    'app-api',
    ['core', ...SERVICES, 'snapshot', 'contract', 'app-api'],
    'main/app-api imports services, main/core and the contract only.'
  ),
  mayTypes('app-api', ['store'], 'main/app-api may name adapter types only.'),
  may(
    'app',
    ['core', 'store', ...SERVICES, 'snapshot', 'cos-api', 'app-api', 'contract', 'app'],
    'The composition root imports everything but the shells.'
  ),
  may(
    'cli',
    ['app', 'core', 'contract', 'snapshot', 'cli'],
    'The CLI imports app.ts, main/core, main/snapshot (offline data folders) and the contract only.'
  ),
  // The programmatic API (startCosLocal) is a shell for users' test suites, beside the CLI.
  may(
    'api',
    ['app', 'core', 'contract', 'snapshot', 'functions', 'store', 'api'],
    'main/api imports app.ts and what it needs to prepare a data folder.'
  ),
  may(
    'electron',
    ['app', 'contract', 'electron', 'cli', 'desktop', 'disk'],
    'main/electron imports app.ts, the contract and the shell decisions (main/desktop) only.'
  ),
  may('desktop', ['core', 'contract', 'desktop'], 'main/desktop holds the shell decisions: no services, no Electron.'),
  // The shells write instance.json and other secrets through the one adapter that creates 0600 files.
  {
    from: { type: ['cli', 'electron'] },
    allow: { to: { element: { type: 'store', fileInternalPath: 'private-files.ts' } } }
  },
  // main/paths.ts (where data, instance.json and the package live) is a leaf every non-core zone may read.
  {
    from: {
      type: ['store', 'storage', 'bus', 'functions', 'disk', 'cos-api', 'app-api', 'app', 'cli', 'desktop', 'electron']
    },
    allow: { to: { type: 'paths' } }
  },
  may('paths', ['paths'], 'main/paths.ts is a leaf.'),
  may('contract', ['contract'], 'preload/contract is a leaf.'),
  may('preload', ['contract', 'preload'], 'The preload bridge imports the contract only.'),
  may('renderer', ['renderer'], 'The renderer imports only its own files and preload/contract.'),
  mayTypes('renderer', ['contract'], 'The renderer imports preload/contract as types.'),
  {
    from: { type: 'renderer' },
    allow: { to: { element: { type: 'contract', fileInternalPath: RENDERER_VALUE_MODULES } } },
    message: 'The renderer imports preload/contract values only from plain-data modules.'
  }
]

export const boundaryRules = {
  files: ['main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.svelte'],
  plugins: { boundaries },
  settings: {
    'boundaries/elements': ZONES,
    'boundaries/include': ['main/**', 'preload/**', 'renderer/**'],
    'boundaries/legacy-warnings': false,
    'import/resolver': { node: { extensions: ['.ts', '.js', '.svelte'] } }
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'disallow',
        message: 'Import direction: ${file.type} may not import ${dependency.type} (see eslint.boundaries.js).',
        policies: POLICIES
      }
    ],
    'boundaries/no-unknown-files': 'off'
  }
}
