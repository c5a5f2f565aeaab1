/**
 * `node bin/tsx.js bench/profile-top.ts FILE.cpuprofile [N] [--callers NAME]`: the functions
 * with the most self time in a V8 CPU profile (from `npm run bench -- --cpu-prof`), the same by
 * file, and with --callers the call chains under which NAME (e.g. `open`) spent its time.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

interface ProfileNode {
  id: number
  children?: number[]
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

/** The profile's last `ms` milliseconds only (e.g. the steady load after start-up and seeding). */
export function lastMillis(profile: Profile, ms: number): Profile {
  const from = profile.endTime - ms * 1000
  const samples: number[] = []
  const timeDeltas: number[] = []
  let t = profile.startTime
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0
    if (t < from) return
    samples.push(id)
    timeDeltas.push(profile.timeDeltas[i] ?? 0)
  })
  return { ...profile, samples, timeDeltas, startTime: Math.max(from, profile.startTime) }
}

export type { Profile }

/** The main thread's profile among those `--cpu-prof` wrote to `dir`: the largest one. */
export function mainThreadProfile(dir: string): { file: string; profile: Profile } {
  const file = readdirSync(dir)
    .map((name) => join(dir, name))
    .sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]!
  return { file, profile: JSON.parse(readFileSync(file, 'utf8')) as Profile }
}

/** The top self time by function and by file as two Markdown tables, under the profile's name. */
export function printTopSelfTime(file: string, profile: Profile, limit: number): void {
  const { byFunction, byFile } = topSelfTime(profile, limit)
  console.log(`${file}\n\n| self % | function |\n|--:|---|`)
  for (const [name, pct] of byFunction) console.log(`| ${pct.toFixed(1)} | \`${name}\` |`)
  console.log('\n| self % | file / package |\n|--:|---|')
  for (const [name, pct] of byFile) console.log(`| ${pct.toFixed(1)} | \`${name}\` |`)
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

/** Self time (ms) of `functionName` by its chain of `depth` callers, largest first. */
export function callersOf(profile: Profile, functionName: string, depth = 5): [string, number][] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const chains = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    if (nodes.get(id)!.callFrame.functionName !== functionName) return
    const chain: string[] = []
    for (let up = parent.get(id); up !== undefined && chain.length < depth; up = parent.get(up)) {
      const { functionName: name, url, lineNumber } = nodes.get(up)!.callFrame
      chain.push(`${name || '(anonymous)'}@${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`)
    }
    const key = chain.join(' ← ')
    chains.set(key, (chains.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  return [...chains].sort((a, b) => b[1] - a[1])
}

/**
 * Inclusive time of each named function (% of the profile): the samples with that function
 * anywhere on their stack (counted once per sample, however deep it recurses).
 */
export function inclusiveTime(profile: Profile, functionNames: readonly string[]): [string, number][] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const wanted = new Set(functionNames)
  const spent = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0
    total += micros
    const seen = new Set<string>()
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const name = nodes.get(up)!.callFrame.functionName
      if (wanted.has(name)) seen.add(name)
    }
    for (const name of seen) spent.set(name, (spent.get(name) ?? 0) + micros)
  })
  return functionNames.map((name) => [name, ((spent.get(name) ?? 0) / total) * 100])
}

if (process.argv[1]?.endsWith('profile-top.ts')) {
  const [file, limit = '25'] = process.argv
    .slice(2)
    .filter((a, i, all) => a !== '--callers' && all[i - 1] !== '--callers')
  if (!file) throw new Error('usage: profile-top.ts FILE.cpuprofile [N] [--callers NAME]')
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const callers = process.argv[process.argv.indexOf('--callers') + 1]
  if (process.argv.includes('--callers') && callers) {
    for (const [chain, msSpent] of callersOf(profile, callers).slice(0, 10))
      console.log(`${Math.round(msSpent)} ms  ${callers} ← ${chain}`)
    process.exit(0)
  }
  const { byFunction, byFile } = topSelfTime(profile, Number(limit))
  console.log('| self % | function |\n|--:|---|')
  for (const [name, pct] of byFunction) console.log(`| ${pct.toFixed(1)} | \`${name}\` |`)
  console.log('\n| self % | file / package |\n|--:|---|')
  for (const [name, pct] of byFile) console.log(`| ${pct.toFixed(1)} | \`${name}\` |`)
}
