/**
 * `format` re-run only when its argument changes: for text derived from a slowly changing
 * number (the time in seconds or ms) that is needed on every request. Formatting a number
 * past V8's small integers (an epoch time) as hex is a runtime call, so ids made by the
 * thousand per second keep the last result instead.
 */
export function formatOnChange<T = string>(format: (value: number) => T): (value: number) => T {
  let last = Number.NaN // equal to nothing: the first call formats
  let text = undefined as T
  return (value) => {
    if (value !== last) {
      last = value
      text = format(value)
    }
    return text
  }
}
