/** COSBrowser's folder-name rules: ≤255 characters per level, none of \ : * ? " | < >, no "..". */
export function folderNameProblem(name: string): string {
  const levels = name.replace(/^\/+|\/+$/g, '').split('/')
  if (levels.some((level) => level === '')) return 'Enter a folder name (levels separated by "/").'
  if (levels.some((level) => level.length > 255)) return 'Each folder name is at most 255 characters.'
  if (levels.some((level) => /[\\:*?"|<>]/.test(level))) return 'Folder names cannot contain \\ : * ? " | < >'
  if (levels.some((level) => level === '..' || level === '.')) return 'Folder names cannot be "." or "..".'
  return ''
}
