import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The console's browser files, served as they are (no build step at run time). */
const FILES = { 'console.js': 'text/javascript', 'console.css': 'text/css' } as const

export type StaticName = keyof typeof FILES

export interface StaticFile {
  body: string
  type: string
}

/**
 * `static/` next to this module: `src/console/static/` in the sources, `dist/static/` once built (the package build
 * copies the folder next to the bundle).
 */
const locate = (name: string): string => fileURLToPath(new URL(`./static/${name}`, import.meta.url))

/** Reads every file once (they are a few KB) and keeps them for the life of the process. */
export function loadStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>()
  for (const [name, type] of Object.entries(FILES)) {
    files.set(name, { body: readFileSync(locate(name), 'utf8'), type: `${type}; charset=utf-8` })
  }
  return files
}
