/**
 * Opening the timeline ("what happened to this object?") from anywhere in the UI: call
 * `openTimeline({ bucket, key })` or `openTimeline({ requestId })` (a COS x-cos-request-id or an
 * SCF RequestId); the bottom panel listens and shows its Timeline tab. (A window event, not
 * the URL hash: the hash is the object browser's location.)
 */
export interface TimelineSubject {
  bucket?: string
  key?: string
  requestId?: string
}

export const TIMELINE_EVENT = 'cos-local:timeline'

export function openTimeline(subject: TimelineSubject): void {
  window.dispatchEvent(new CustomEvent<TimelineSubject>(TIMELINE_EVENT, { detail: subject }))
}

/** Calls `listener` with each subject asked for; returns the unsubscribe function. */
export function onTimeline(listener: (subject: TimelineSubject) => void): () => void {
  const handler = (event: Event): void => listener((event as CustomEvent<TimelineSubject>).detail)
  window.addEventListener(TIMELINE_EVENT, handler)
  return () => window.removeEventListener(TIMELINE_EVENT, handler)
}
