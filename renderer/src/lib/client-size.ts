/**
 * `{@attach clientSize((width, height) => …)}`: an element's clientWidth and clientHeight as
 * the browser lays it out, told by a ResizeObserver (after layout, before paint; again on every
 * resize). Svelte's bind:clientHeight also reads the size once as the element mounts, which
 * forces a style and layout of the half-built page: one of those per virtual list in a page
 * loaded at a folder's address (the workspace's first mount).
 */
import type { Attachment } from 'svelte/attachments'

export function clientSize(set: (width: number, height: number) => void): Attachment<HTMLElement> {
  return (element) => {
    const observer = new ResizeObserver(() => set(element.clientWidth, element.clientHeight))
    observer.observe(element)
    return () => observer.disconnect()
  }
}
