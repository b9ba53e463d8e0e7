import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Hotline's version from its package.json, found by walking up from this file so it works
 * from src/ under tsx and from dist/src/ after a build.
 */
export function hotlineVersion(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from))
  for (;;) {
    const version = versionIn(join(dir, 'package.json'))
    if (version !== undefined) return version
    const parent = dirname(dir)
    if (parent === dir) return '0.0.0-unknown'
    dir = parent
  }
}

function versionIn(file: string): string | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined // no package.json at this level: keep walking up
  }
  const pkg = JSON.parse(text) as { name?: unknown; version?: unknown }
  return pkg.name === 'hotline' && typeof pkg.version === 'string' ? pkg.version : undefined
}
