/**
 * The quick start's demo: a bucket, a Node.js function that prints the event it receives, and
 * a COS trigger between them, so the first files dropped on the bucket show matched events and
 * run logs. Each part is made only when missing, so running it again (or after a failure half
 * way) finishes the set-up instead of failing on what exists.
 */
import { fullBucketName } from './cos/bucket-name.ts'

export interface DemoPlan {
  bucket: string
  functionName: string
  template: string
  event: 'cos:ObjectCreated:*'
}

export function demoPlan(appid: string): DemoPlan {
  return {
    bucket: fullBucketName('demo', appid),
    functionName: 'print-event',
    template: 'nodejs-print-event',
    event: 'cos:ObjectCreated:*'
  }
}

/** What the set-up needs from the session (the functions and buckets stores). */
export interface DemoPorts {
  hasFunction(name: string): boolean
  createFunction(name: string, template: string): Promise<void>
  hasTrigger(functionName: string, bucket: string): boolean
  addTrigger(functionName: string, bucket: string, event: DemoPlan['event']): Promise<void>
  hasBucket(name: string): boolean
  createBucket(name: string): Promise<void>
}

export type DemoStep = 'function' | 'trigger' | 'bucket'

/**
 * The function first, then its trigger, the bucket last: a trigger may name a bucket that does
 * not exist yet, and the bucket appearing is what ends the empty screen.
 */
export async function setUpDemo(plan: DemoPlan, ports: DemoPorts, onstep: (step: DemoStep) => void): Promise<void> {
  onstep('function')
  if (!ports.hasFunction(plan.functionName)) await ports.createFunction(plan.functionName, plan.template)
  onstep('trigger')
  if (!ports.hasTrigger(plan.functionName, plan.bucket))
    await ports.addTrigger(plan.functionName, plan.bucket, plan.event)
  onstep('bucket')
  if (!ports.hasBucket(plan.bucket)) await ports.createBucket(plan.bucket)
}
