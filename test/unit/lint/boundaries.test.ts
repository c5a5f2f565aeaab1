// Proves the import-direction zones (eslint.boundaries.js) and the type-aware promise rules bite:
// each probe is a file a contributor might write, linted at the path where it would live.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

interface Probe {
  /** Where the probe file would live. */
  file: string
  code: string
  /** The rule that must reject it. */
  rule: string
}

const ZONE = 'boundaries/dependencies'

const PROBES: Record<string, Probe> = {
  'core → store': {
    file: 'main/core/functions/import/probe.ts',
    code: "import { openDatabase } from '../../../store/db.ts'\nexport const probe = openDatabase\n",
    rule: ZONE
  },
  'core → contract': {
    file: 'main/core/probe.ts',
    code: "import type { AppInfo } from '../../preload/contract/info.ts'\nexport type Probe = AppInfo\n",
    rule: ZONE
  },
  'core → services': {
    file: 'main/core/events/probe.ts',
    code: "import { createObjectStore } from '../../storage/object-store.ts'\nexport const probe = createObjectStore\n",
    rule: ZONE
  },
  'store → storage service': {
    file: 'main/store/probe.ts',
    code: "import { createObjectStore } from '../storage/object-store.ts'\nexport const probe = createObjectStore\n",
    rule: ZONE
  },
  'storage → cos-api': {
    file: 'main/storage/probe.ts',
    code: "import { startCosServer } from '../cos-api/server.ts'\nexport const probe = startCosServer\n",
    rule: ZONE
  },
  'functions → bus (value import)': {
    file: 'main/functions/probe.ts',
    code: "import * as dispatcher from '../bus/dispatcher.ts'\nexport const probe = dispatcher\n",
    rule: ZONE
  },
  'functions → cos-api': {
    file: 'main/functions/probe.ts',
    code: "import { startCosServer } from '../cos-api/server.ts'\nexport const probe = startCosServer\n",
    rule: ZONE
  },
  'bus → functions (value import)': {
    file: 'main/bus/probe.ts',
    code: "import * as runner from '../functions/runner.ts'\nexport const probe = runner\n",
    rule: ZONE
  },
  'cos-api handler → app.ts': {
    file: 'main/cos-api/handlers/probe.ts',
    code: "import { createApp } from '../../app.ts'\nexport const probe = createApp\n",
    rule: ZONE
  },
  'cos-api handler → bus (value import)': {
    file: 'main/cos-api/handlers/probe.ts',
    code: "import * as dispatcher from '../../bus/dispatcher.ts'\nexport const probe = dispatcher\n",
    rule: ZONE
  },
  'app-api → cos-api': {
    file: 'main/app-api/probe.ts',
    code: "import { startCosServer } from '../cos-api/server.ts'\nexport const probe = startCosServer\n",
    rule: ZONE
  },
  'app-api → store (value import)': {
    file: 'main/app-api/probe.ts',
    code: "import { openDatabase } from '../store/db.ts'\nexport const probe = openDatabase\n",
    rule: ZONE
  },
  'electron → store': {
    file: 'main/electron/probe.ts',
    code: "import { openDatabase } from '../store/db.ts'\nexport const probe = openDatabase\n",
    rule: ZONE
  },
  'cli → storage': {
    file: 'main/cli/probe.ts',
    code: "import { createObjectStore } from '../storage/object-store.ts'\nexport const probe = createObjectStore\n",
    rule: ZONE
  },
  'cli → store beyond the secret-file writer': {
    file: 'main/cli/probe.ts',
    code: "import { openDatabase } from '../store/db.ts'\nexport const probe = openDatabase\n",
    rule: ZONE
  },
  'contract → main': {
    file: 'preload/contract/probe.ts',
    code: "import type { Clock } from '../../main/core/clock.ts'\nexport type Probe = Clock\n",
    rule: ZONE
  },
  'preload → app.ts': {
    file: 'preload/probe.ts',
    code: "import { createApp } from '../main/app.ts'\nexport const probe = createApp\n",
    rule: ZONE
  },
  'renderer → main/core': {
    file: 'renderer/src/lib/stores/probe.ts',
    code: "import { createSystemClock } from '../../../../main/core/clock.ts'\nexport const probe = createSystemClock\n",
    rule: ZONE
  },
  'renderer → contract value outside the plain-data modules': {
    file: 'renderer/src/lib/probe.ts',
    code: "import * as info from '../../../preload/contract/info.ts'\nexport const probe = info\n",
    rule: ZONE
  },
  'renderer → the route table (its schemas would pull zod into the UI bundle)': {
    file: 'renderer/src/lib/probe.ts',
    code: "import { routes } from '../../../preload/contract/routes.ts'\nexport const probe = routes\n",
    rule: ZONE
  },
  'a floating promise': {
    file: 'main/bus/probe.ts',
    code: 'async function work(): Promise<void> {}\nexport function probe(): void {\n  work()\n}\n',
    rule: '@typescript-eslint/no-floating-promises'
  },
  'a promise where a boolean is expected': {
    file: 'main/functions/probe.ts',
    code: 'export function probe(ready: Promise<boolean>): number {\n  return ready ? 1 : 0\n}\n',
    rule: '@typescript-eslint/no-misused-promises'
  }
}

const ALLOWED: Record<string, Probe> = {
  'storage → store and core': {
    file: 'main/storage/probe.ts',
    code:
      "import { openDatabase } from '../store/db.ts'\nimport { createSystemClock } from '../core/clock.ts'\n" +
      'export const probe = [openDatabase, createSystemClock]\n',
    rule: ZONE
  },
  'renderer → contract types and plain data': {
    file: 'renderer/src/lib/probe.ts',
    code:
      "import type { AppInfo } from '../../../preload/contract/info.ts'\n" +
      "import { TRIGGER_EVENT_NAMES } from '../../../preload/contract/event-names.ts'\n" +
      'export const probe: [AppInfo | undefined, unknown] = [undefined, TRIGGER_EVENT_NAMES]\n',
    rule: ZONE
  },
  'bus → functions as a type (a port)': {
    file: 'main/bus/probe.ts',
    code: "import type * as registry from '../functions/registry.ts'\nexport type Probe = typeof registry\n",
    rule: ZONE
  }
}

// The probes exist only in memory, so the type-aware parser needs them in its default project.
const probeFiles = [...new Set([...Object.values(PROBES), ...Object.values(ALLOWED)].map((probe) => probe.file))]
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: probeFiles,
          defaultProject: 'tsconfig.node.json',
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: probeFiles.length
        }
      }
    }
  }
})

async function rulesHit(probe: Probe): Promise<string[]> {
  const [result] = await eslint.lintText(probe.code, { filePath: probe.file })
  return result!.messages.map((message) => message.ruleId ?? message.message)
}

describe('lint rejects every forbidden direction', () => {
  for (const [name, probe] of Object.entries(PROBES)) {
    it(name, async () => {
      expect(await rulesHit(probe)).toContain(probe.rule)
    })
  }
})

describe('lint accepts the allowed directions (the probes above fail for the right reason)', () => {
  for (const [name, probe] of Object.entries(ALLOWED)) {
    it(name, async () => {
      expect(await rulesHit(probe)).not.toContain(probe.rule)
    })
  }
})
