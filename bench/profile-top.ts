/**
 * `node bin/tsx.js bench/profile-top.ts FILE.cpuprofile [N]`: the functions with the most
 * self time in a V8 CPU profile (from `npm run bench -- --cpu-prof`), and the same by file.
 */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export function topSelfTime(
  profile: Profile,
  limit: number
): { byFunction: [string, number][]; byFile: [string, number][] } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const byFunction = new Map<string, number>()
  const byFile = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame
    const micros = profile.timeDeltas[i] ?? 0
    total += micros
    const file = url.replace(/^file:\/\/.*?\/(node_modules|main)\//, '$1/') || '(native/V8)'
    const fn = `${functionName || '(anonymous)'}  ${file}${url ? `:${lineNumber + 1}` : ''}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros)
    const fileKey = file.replace(/^(node_modules\/(@[^/]+\/)?[^/]+).*/, '$1')
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + micros)
  })
  const top = (map: Map<string, number>): [string, number][] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, micros]) => [name, (micros / total) * 100])
  return { byFunction: top(byFunction), byFile: top(byFile) }
}

if (process.argv[1]?.endsWith('profile-top.ts')) {
  const [file, limit = '25'] = process.argv.slice(2)
  if (!file) throw new Error('usage: profile-top.ts FILE.cpuprofile [N]')
  const { byFunction, byFile } = topSelfTime(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(limit))
  console.log('| self % | function |\n|--:|---|')
  for (const [name, pct] of byFunction) console.log(`| ${pct.toFixed(1)} | \`${name}\` |`)
  console.log('\n| self % | file / package |\n|--:|---|')
  for (const [name, pct] of byFile) console.log(`| ${pct.toFixed(1)} | \`${name}\` |`)
}
