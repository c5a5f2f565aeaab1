/**
 * Functions, their templates and triggers, from the event bus's app-API routes. When the core
 * has no such routes (404), `available` is false and the view says so instead of guessing.
 */
import type {
  CreateFunctionRequest,
  FunctionInfo,
  FunctionStatus,
  FunctionTemplateList,
  UpdateFunctionRequest
} from '../../../../preload/contract/functions.ts'
import type { Invocation, InvocationStatus, TestTemplateList } from '../../../../preload/contract/invocations.ts'
import { TRIGGER_EVENT_NAMES } from '../../../../preload/contract/event-names.ts'
import type { Trigger } from '../../../../preload/contract/triggers.ts'
import { api, ApiFailure } from '../api.ts'
import { describeError } from '../cos/cos-error.ts'
import { LiveDuringFetch } from '../live-during-fetch.ts'

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
  /** Live state per function name (warm instances, last invocation, error rate, faults). */
  status = $state.raw<Record<string, FunctionStatus>>({})
  /** The selected function's newest invocations, updated live. */
  invocations = $state.raw<Invocation[]>([])
  /** Bumped when an invocation of any function finishes (views refetch what they show). */
  finished = $state(0)
  statusTimer: ReturnType<typeof setTimeout> | undefined = undefined
  /** Invocations pushed while the list is on its way go over its answer (see live-during-fetch.ts). */
  #live = new LiveDuringFetch<string, Invocation>()
  #invocationsGeneration = 0
  /** A first load is on its way (see loadOnce). */
  #loading = false

  selectedFunction = $derived(this.list.find((fn) => fn.name === this.selected))
  selectedTriggers = $derived(this.triggers.filter((trigger) => trigger.functionName === this.selected))

  /** Loads functions, templates and triggers unless a load answered or is on its way. */
  loadOnce(): void {
    if (this.available !== undefined || this.#loading) return
    this.#loading = true
    void this.refresh().finally(() => (this.#loading = false))
  }

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
      void this.refreshStatus().catch(() => undefined)
    } catch (error) {
      if (missingRoute(error)) this.available = false
      else this.error = describeError(error)
    }
  }

  async refreshStatus(): Promise<void> {
    const { functions } = await api.functionStatus()
    this.status = Object.fromEntries(functions.map((item) => [item.name, item]))
  }

  async loadInvocations(status?: string): Promise<void> {
    if (!this.selected) return
    const generation = ++this.#invocationsGeneration
    const query = { function: this.selected, status: (status || undefined) as InvocationStatus | undefined, limit: 100 }
    const { answer, live } = await this.#live.fetch(() => api.invocationList(query))
    if (generation !== this.#invocationsGeneration) return // a later load (another function or filter) wins
    this.invocations = answer.invocations
    for (const invocation of live) this.#merge(invocation)
  }

  /** An invocation changed state (push): merge it into the selected function's list. */
  receive(invocation: Invocation): void {
    const terminal =
      invocation.status === 'succeeded' || invocation.status === 'failed' || invocation.status === 'dead-lettered'
    if (terminal) this.finished++
    // status (warm instances, error rate) at most every 500 ms
    this.statusTimer ??= setTimeout(() => {
      this.statusTimer = undefined
      void this.refreshStatus().catch(() => undefined)
    }, 500)
    this.#live.note(invocation.requestId, invocation)
    this.#merge(invocation)
  }

  /** Into the selected function's list: replaces the invocation's row, or adds it on top. */
  #merge(invocation: Invocation): void {
    if (invocation.functionName !== this.selected) return
    const index = this.invocations.findIndex((item) => item.requestId === invocation.requestId)
    if (index >= 0) this.invocations = this.invocations.with(index, invocation)
    else this.invocations = [invocation, ...this.invocations].slice(0, 100)
  }

  async update(name: string, body: UpdateFunctionRequest): Promise<void> {
    await api.updateFunction(name, body)
    await this.refresh()
  }

  async refreshTriggers(): Promise<void> {
    this.triggers = (await api.triggers()).triggers
  }

  /** Creates a function from a built-in template; throws the core's error for the form. */
  async create(name: string, template: FunctionTemplate): Promise<void> {
    await this.createFrom({ name, runtime: template.runtime, code: { type: 'template', template: template.id } })
  }

  /** Creates a function from any code source (template, folder path, zip); selects it. */
  async createFrom(request: CreateFunctionRequest): Promise<void> {
    const created = await api.createFunction(request)
    this.selected = created.name
    await this.refresh()
  }

  async remove(name: string): Promise<void> {
    await api.deleteFunction(name)
    await this.refresh()
  }

  /** A COS trigger for the selected function, or for `functionName` when given. */
  async addTrigger(input: {
    bucket: string
    event: string
    prefix: string
    suffix: string
    functionName?: string
  }): Promise<void> {
    await api.createTrigger({ ...input, functionName: input.functionName ?? this.selected })
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
