import { describe, expect, it } from 'vitest'
import { demoPlan, setUpDemo, type DemoPorts } from '../../../renderer/src/lib/demo-setup.ts'

/** Ports over plain sets, recording each call in order. */
function fakeWorld(existing: { functions?: string[]; triggers?: string[]; buckets?: string[] } = {}) {
  const functions = new Set(existing.functions)
  const triggers = new Set(existing.triggers)
  const buckets = new Set(existing.buckets)
  const calls: string[] = []
  const ports: DemoPorts = {
    hasFunction: (name) => functions.has(name),
    createFunction: async (name, template) => {
      calls.push(`function ${name} from ${template}`)
      functions.add(name)
    },
    hasTrigger: (name, bucket) => triggers.has(`${name}@${bucket}`),
    addTrigger: async (name, bucket, event) => {
      calls.push(`trigger ${name} ${bucket} ${event}`)
      triggers.add(`${name}@${bucket}`)
    },
    hasBucket: (name) => buckets.has(name),
    createBucket: async (name) => {
      calls.push(`bucket ${name}`)
      buckets.add(name)
    }
  }
  return { ports, calls }
}

describe('the quick start demo', () => {
  it('names the bucket with the APPID and prints events with the Node.js template', () => {
    expect(demoPlan('1250000000')).toEqual({
      bucket: 'demo-1250000000',
      functionName: 'print-event',
      template: 'nodejs-print-event',
      event: 'cos:ObjectCreated:*'
    })
  })

  it('makes the function, its trigger, then the bucket (whose appearing ends the empty screen)', async () => {
    const { ports, calls } = fakeWorld()
    const steps: string[] = []
    await setUpDemo(demoPlan('1250000000'), ports, (step) => steps.push(step))
    expect(calls).toEqual([
      'function print-event from nodejs-print-event',
      'trigger print-event demo-1250000000 cos:ObjectCreated:*',
      'bucket demo-1250000000'
    ])
    expect(steps).toEqual(['function', 'trigger', 'bucket'])
  })

  it('makes only what is missing, so a second run after a failure finishes the set-up', async () => {
    const { ports, calls } = fakeWorld({ functions: ['print-event'], triggers: ['print-event@demo-1250000000'] })
    await setUpDemo(demoPlan('1250000000'), ports, () => undefined)
    expect(calls).toEqual(['bucket demo-1250000000'])
  })

  it('stops at the first failure with its error', async () => {
    const { ports, calls } = fakeWorld()
    ports.addTrigger = async () => {
      throw new Error('NotifyRuleConflict')
    }
    await expect(setUpDemo(demoPlan('1250000000'), ports, () => undefined)).rejects.toThrow('NotifyRuleConflict')
    expect(calls).toEqual(['function print-event from nodejs-print-event'])
  })
})
