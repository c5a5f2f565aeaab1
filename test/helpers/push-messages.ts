/**
 * Waiting on push messages a test collected from the app API's socket.
 */
import type { PushMessage } from '../../preload/contract/push.ts'

/** Whether `messages` hold an invocation's Report line and its 'succeeded' state. */
export function invocationPushed(messages: readonly PushMessage[], requestId: string): boolean {
  return (
    messages.some(
      (m) =>
        m.type === 'log' &&
        'requestId' in m &&
        m.requestId === requestId &&
        m.lines.some((l) => l.text.startsWith('Report'))
    ) &&
    messages.some(
      (m) => m.type === 'invocation' && m.invocation.requestId === requestId && m.invocation.status === 'succeeded'
    )
  )
}

/**
 * Wait (up to 15 s on a loaded machine) until an invocation's last log batch and final state
 * have been pushed (another test's slow function may finish meanwhile: its messages do not count).
 */
export async function untilInvocationPushed(messages: readonly PushMessage[], requestId: string): Promise<void> {
  for (let i = 0; i < 750 && !invocationPushed(messages, requestId); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
