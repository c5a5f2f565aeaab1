/**
 * App icons from the one SVG in the repo (build/icon.svg): a PNG set (16…1024), icon.icns
 * (macOS) and icon.ico (Windows). `npm run icons` writes them to build/ for electron-builder;
 * the electron-vite build writes the PNGs the shell loads at run time to out/icons/.
 */
import { Resvg } from '@resvg/resvg-js'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import png2icons from 'png2icons'

export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const

export function renderPng(svg: Buffer | string, size: number): Buffer {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng())
}

/**
 * Writes `<outDir>/icons/<n>x<n>.png` for each size; with `bundles`, also `<outDir>/icon.png|icns|ico`.
 * `svgFile` is build/icon.svg (passed in: this module is also bundled into the build config).
 */
export function renderIcons(
  svgFile: string,
  outDir: string,
  options: { bundles: boolean; sizes?: readonly number[] }
): string[] {
  const svg = readFileSync(svgFile)
  const written: string[] = []
  mkdirSync(join(outDir, 'icons'), { recursive: true })
  for (const size of options.sizes ?? PNG_SIZES) {
    const file = join(outDir, 'icons', `${size}x${size}.png`)
    writeFileSync(file, renderPng(svg, size))
    written.push(file)
  }
  if (options.bundles) {
    const master = renderPng(svg, 1024)
    const icns = png2icons.createICNS(master, png2icons.BICUBIC, 0)
    const ico = png2icons.createICO(renderPng(svg, 256), png2icons.BICUBIC, 0, true, true)
    if (!icns || !ico) throw new Error('png2icons could not convert build/icon.svg')
    for (const [name, data] of [
      ['icon.png', master],
      ['icon.icns', icns],
      ['icon.ico', ico]
    ] as const) {
      writeFileSync(join(outDir, name), data)
      written.push(join(outDir, name))
    }
  }
  return written
}

// `node bin/tsx.js scripts/icons.ts [outDir]` (npm run icons): the installer icons in build/.
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const build = join(import.meta.dirname, '..', 'build')
  const outDir = resolve(process.argv[2] ?? build)
  const written = renderIcons(join(build, 'icon.svg'), outDir, { bundles: true })
  console.log(`Wrote ${written.length} icon files to ${outDir}`)
}
