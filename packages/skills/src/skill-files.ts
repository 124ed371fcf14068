import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Folders never read as part of a skill: caches and installed dependencies. */
export const IGNORED_DIRS = new Set(['node_modules', '__pycache__', '.venv', 'venv', '.git'])

const MAX_LISTED_FILES = 500
const MAX_DEPTH = 4

/** Whether a path segment is skipped by the file list and the watcher (dotfiles, caches, installed dependencies). */
export function isIgnoredSegment(segment: string): boolean {
  return segment.startsWith('.') || IGNORED_DIRS.has(segment) || segment.endsWith('~')
}

/**
 * The files of a skill folder other than SKILL.md (`references/api.md`, `scripts/fetch.py` …), sorted, at most 500
 * and four levels deep: what `activate_skill` tells the agent it may read.
 */
export async function listSkillFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || out.length >= MAX_LISTED_FILES) return
    let entries: import('node:fs').Dirent[]
    try {
      entries = await readdir(join(dir, rel), { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (isIgnoredSegment(entry.name)) continue
      const path = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) await walk(path, depth + 1)
      else if (path !== 'SKILL.md' && out.length < MAX_LISTED_FILES) out.push(path)
    }
  }
  await walk('', 0)
  return out
}

/** Files whose content decides what a skill loads as: SKILL.md, everything in scripts/, dependency manifests. */
function decidesLoad(path: string): boolean {
  return (
    path === 'SKILL.md' ||
    path.startsWith('scripts/') ||
    path === 'requirements.txt' ||
    path === 'tools/requirements.txt' ||
    path === 'package.json'
  )
}

/** A hash of what the skill loads from and of its file list: two loads with equal fingerprints are equal. */
export async function skillFingerprint(
  dir: string,
  skillMd: string,
  files: readonly string[],
): Promise<string> {
  const hash = createHash('sha256').update(skillMd).update('\0')
  for (const path of files) {
    hash.update(path).update('\0')
    if (!decidesLoad(path)) continue
    try {
      hash.update(await readFile(join(dir, path)))
    } catch {
      hash.update('(unreadable)')
    }
    hash.update('\0')
  }
  return hash.digest('hex')
}
