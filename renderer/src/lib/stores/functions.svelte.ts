/**
 * Functions, their templates and triggers, from the event bus's app-API routes. When the core
 * has no such routes (404), `available` is false and the view says so instead of guessing.
 */
import type { FunctionInfo, FunctionTemplateList } from '../../../../preload/contract/functions.ts'
import type { TestTemplateList } from '../../../../preload/contract/invocations.ts'
import { TRIGGER_EVENT_NAMES } from '../../../../preload/contract/event-names.ts'
import type { Trigger } from '../../../../preload/contract/triggers.ts'
import { api, ApiFailure } from '../api.ts'
import { describeError } from '../cos/cos-error.ts'

export type FunctionTemplate = FunctionTemplateList['templates'][number]
export type TestTemplate = TestTemplateList['templates'][number]

/** Trigger event types for the form (plain data from the contract: no schema code in the bundle). */
export const TRIGGER_EVENTS: readonly Trigger['event'][] = TRIGGER_EVENT_NAMES

function missingRoute(error: unknown): boolean {
  return error instanceof ApiFailure && error.status === 404 && error.code === 'NotFound'
}

export class FunctionsStore {
  /** undefined until the first load; false when the core has no functions API. */
  available = $state<boolean | undefined>()
  list = $state<FunctionInfo[]>([])
  templates = $state<FunctionTemplate[]>([])
  testTemplates = $state<TestTemplate[]>([])
  triggers = $state<Trigger[]>([])
  selected = $state('')
  error = $state('')

  selectedFunction = $derived(this.list.find((fn) => fn.name === this.selected))
  selectedTriggers = $derived(this.triggers.filter((trigger) => trigger.functionName === this.selected))

  /** Loads functions, templates and triggers. */
  async refresh(): Promise<void> {
    try {
      const [functions, templates, testTemplates, triggers] = await Promise.all([
        api.functions(),
        api.functionTemplates(),
        api.testTemplates(),
        api.triggers()
      ])
      this.list = functions.functions
      this.templates = templates.templates
      this.testTemplates = testTemplates.templates
      this.triggers = triggers.triggers
      this.available = true
      this.error = ''
      if (!this.list.some((fn) => fn.name === this.selected)) this.selected = this.list[0]?.name ?? ''
    } catch (error) {
      if (missingRoute(error)) this.available = false
      else this.error = describeError(error)
    }
  }

  async refreshTriggers(): Promise<void> {
    this.triggers = (await api.triggers()).triggers
  }

  /** Creates a function from a built-in template; throws the core's error for the form. */
  async create(name: string, template: FunctionTemplate): Promise<void> {
    await api.createFunction({ name, runtime: template.runtime, code: { type: 'template', template: template.id } })
    this.selected = name
    await this.refresh()
  }

  async remove(name: string): Promise<void> {
    await api.deleteFunction(name)
    await this.refresh()
  }

  async addTrigger(input: { bucket: string; event: string; prefix: string; suffix: string }): Promise<void> {
    await api.createTrigger({ functionName: this.selected, ...input })
    await this.refreshTriggers()
  }

  async setEnabled(trigger: Trigger, enabled: boolean): Promise<void> {
    await api.updateTrigger(trigger.id, { enabled })
    await this.refreshTriggers()
  }

  async removeTrigger(trigger: Trigger): Promise<void> {
    await api.deleteTrigger(trigger.id)
    await this.refreshTriggers()
  }
}
