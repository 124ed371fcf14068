import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DevPlatformError } from '../errors.js'

/** The console's browser files, served as they are (no build step at run time). */
const FILES = { 'console.js': 'text/javascript', 'console.css': 'text/css' } as const

export interface StaticFile {
  body: string
  type: string
}

/**
 * `static/` next to this module: `src/console/static/` in the sources, `dist/static/` once built (the package build
 * copies the folder next to the bundle). A program that bundles this package (the runtime's CLI) has no such folder
 * next to it: the installed package's `dist/static/` serves then.
 */
function locate(name: string): string {
  const tried = [fileURLToPath(new URL(`./static/${name}`, import.meta.url))]
  try {
    tried.push(fileURLToPath(new URL(`./static/${name}`, import.meta.resolve('@molecule/dev-platform'))))
  } catch {
    // not resolvable from here: the first place is the only one
  }
  const found = tried.find((path) => existsSync(path))
  if (found) return found
  throw new DevPlatformError(
    'DEV_CONSOLE_FILES_MISSING',
    `the dev console's ${name} is missing (looked in ${tried.join(', ')})`,
    {
      fix: 'Build @molecule/dev-platform (pnpm build), or start the platform with console: false (--no-console).',
    },
  )
}

/** Reads every file once (they are a few KB) and keeps them for the life of the process. */
export function loadStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>()
  for (const [name, type] of Object.entries(FILES)) {
    files.set(name, { body: readFileSync(locate(name), 'utf8'), type: `${type}; charset=utf-8` })
  }
  return files
}
