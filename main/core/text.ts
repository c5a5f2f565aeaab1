/**
 * Text the core writes for people (why a trigger did not match, timeline titles) as a message
 * and its values, so the UI can show it in the reader's language: `text` is the English
 * template with `{name}` placeholders (the renderer's zh-CN table is keyed by it); a value may
 * itself be a message (a status or outcome name, a nested phrase). `renderText` gives the
 * English the CLI and the API's plain-text fields print.
 */
export interface CoreText {
  text: string
  params?: Record<string, string | number | CoreText>
}

export function renderText(message: CoreText): string {
  const params = message.params
  if (!params) return message.text
  return message.text.replace(/\{(\w+)\}/g, (whole: string, name: string) => {
    const value = params[name]
    if (value === undefined) return whole
    return typeof value === 'object' ? renderText(value) : String(value)
  })
}
