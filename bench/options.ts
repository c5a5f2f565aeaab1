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
