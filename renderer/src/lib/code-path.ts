/**
 * Names for files in the online code editor, checked in the page before the app API checks
 * them again: relative, `/`-separated, no `..`, no empty or `.` parts, no control characters,
 * nothing under node_modules or .git. Answers an English message (with `{placeholders}`) for
 * `t()`, or undefined when the name is fine.
 */
export const CODE_PATH_MESSAGES = {
  empty: 'Enter a file name.',
  absolute: 'Use a path inside the function’s folder (no leading / or drive letter).',
  parent: '“..” is not allowed in a file name.',
  emptyPart: 'The name has an empty or “.” part (check the slashes).',
  control: 'The name contains a control character.',
  reserved: 'Files under {folder} cannot be edited here.',
  exists: '{path} already exists.'
} as const

const RESERVED = ['node_modules', '.git', '__pycache__']

/** The name as the app API wants it (trimmed, backslashes as slashes). */
export function normalizeCodePath(input: string): string {
  return input.trim().replace(/\\/g, '/')
}

export function codePathProblem(
  input: string,
  existing: readonly string[] = []
): { text: string; values?: Record<string, string> } | undefined {
  const path = normalizeCodePath(input)
  if (!path) return { text: CODE_PATH_MESSAGES.empty }
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) return { text: CODE_PATH_MESSAGES.absolute }
  const parts = path.split('/')
  if (parts.includes('..')) return { text: CODE_PATH_MESSAGES.parent }
  if (parts.some((part) => part === '' || part === '.')) return { text: CODE_PATH_MESSAGES.emptyPart }
  if ([...path].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f))
    return { text: CODE_PATH_MESSAGES.control }
  const reserved = parts.find((part) => RESERVED.includes(part))
  if (reserved) return { text: CODE_PATH_MESSAGES.reserved, values: { folder: reserved } }
  if (existing.includes(path)) return { text: CODE_PATH_MESSAGES.exists, values: { path } }
  return undefined
}
