/** Which previewer fits an object, from its extension (or Content-Type when there is none). */
export type PreviewKind = 'image' | 'text' | 'json' | 'markdown' | 'csv' | 'audio' | 'video' | 'pdf' | 'none'

/** Text-like previews read at most this many bytes. */
export const TEXT_PREVIEW_CAP = 1024 * 1024

const BY_EXTENSION: Record<string, PreviewKind> = {
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  svg: 'image',
  bmp: 'image',
  ico: 'image',
  avif: 'image',
  txt: 'text',
  log: 'text',
  js: 'text',
  ts: 'text',
  py: 'text',
  html: 'text',
  css: 'text',
  xml: 'text',
  yml: 'text',
  yaml: 'text',
  ini: 'text',
  sh: 'text',
  json: 'json',
  md: 'markdown',
  markdown: 'markdown',
  csv: 'csv',
  mp3: 'audio',
  wav: 'audio',
  ogg: 'audio',
  m4a: 'audio',
  flac: 'audio',
  mp4: 'video',
  webm: 'video',
  mov: 'video',
  pdf: 'pdf'
}

export function previewKind(key: string, contentType = ''): PreviewKind {
  const extension = /\.([a-z0-9]+)$/i.exec(key)?.[1]?.toLowerCase() ?? ''
  const known = BY_EXTENSION[extension]
  if (known) return known
  const type = contentType.toLowerCase()
  if (type.startsWith('image/')) return 'image'
  if (type.startsWith('audio/')) return 'audio'
  if (type.startsWith('video/')) return 'video'
  if (type === 'application/pdf') return 'pdf'
  if (type.includes('json')) return 'json'
  if (type.startsWith('text/')) return 'text'
  return 'none'
}
