/** A bench script's `--name value` options, from the command line after the script's path. */
const args = process.argv.slice(2)

/** The value after `name`, or `fallback` when `name` is not given. */
export function textOption(name: string, fallback: string): string {
  const at = args.indexOf(name)
  return at >= 0 && at + 1 < args.length ? args[at + 1]! : fallback
}

/** The number after `name`, or `fallback` when `name` is not given. */
export function numberOption(name: string, fallback: number): number {
  const at = args.indexOf(name)
  return at >= 0 ? Number(args[at + 1]) : fallback
}

/**
 * Every `name NAME=VALUE` given (the option may repeat), as a map from NAME to VALUE: the bundles
 * of an A/B run (`--bundle base=out/base.cjs`), each bundle's server flags
 * (`--node-args base='--flag …'`).
 */
export function namedOptions(name: string): Map<string, string> {
  const named = new Map<string, string>()
  args.forEach((arg, i) => {
    if (arg !== name || i + 1 >= args.length) return
    const value = args[i + 1]!
    const at = value.indexOf('=')
    named.set(value.slice(0, at), value.slice(at + 1))
  })
  return named
}

/** A flags option's value split into its arguments. */
export const splitFlags = (flags: string): string[] => flags.split(' ').filter(Boolean)
