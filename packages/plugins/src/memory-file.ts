import { readFile, rm, writeFile } from 'node:fs/promises'
import { normalize, sep } from 'node:path'
import type { InstallRecord, MemoryChunk } from './install-record.js'
import type { InstallTracker } from './install-tracker.js'

/** The first line of every block a plugin puts in the memory file. */
export function memoryMarker(plugin: string, kind: 'rule' | 'fragment', file: string): string {
  return `# Plugin: ${plugin} / ${kind}: ${file}`
}

/**
 * Appends `content` to a memory file (`CLAUDE.md`) under the configs dir, once: when its first line is already a line
 * of the file nothing is appended, except that a chunk this plugin appended before and nobody edited is replaced by
 * the new text (an updated plugin). A missing final newline gets one first; the chunk ends with a newline.
 */
export async function appendToMemory(
  tracker: InstallTracker,
  previous: readonly MemoryChunk[],
  filename: string,
  content: string,
): Promise<void> {
  const file = normalize(filename).split(sep).join('/')
  const abs = tracker.resolve(file)
  const text = await readFile(abs, 'utf8').catch(() => undefined)
  tracker.claim(`memory-file:${file}`, text !== undefined)
  const body = `${content.trimEnd()}\n`
  const marker = content.split('\n')[0]?.trim() ?? ''
  const current = text ?? ''
  if (marker && current.split('\n').some((line) => line.trim() === marker)) {
    const mine = previous.find((c) => c.file === file && current.includes(c.text))
    if (!mine) return
    const separator = mine.text.startsWith('\n') ? '\n' : ''
    const chunk = { file, text: `${separator}${body}` }
    if (chunk.text !== mine.text) {
      const at = current.lastIndexOf(mine.text)
      await writeFile(abs, current.slice(0, at) + chunk.text + current.slice(at + mine.text.length))
      tracker.wrote(file)
    }
    tracker.memory.push(chunk)
    return
  }
  const chunk = { file, text: `${current && !current.endsWith('\n') ? '\n' : ''}${body}` }
  const parent = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : ''
  if (parent) await tracker.ensureDir(parent)
  await writeFile(abs, current + chunk.text)
  tracker.wrote(file)
  tracker.memory.push(chunk)
}

/**
 * Takes a record's chunks out of the memory files, byte for byte. A chunk someone edited is not found whole: then
 * only this plugin's marker lines go (the edited text stays, with a warning). A file the install created is removed
 * once empty.
 */
export async function removeMemoryChunks(
  configsDir: string,
  record: InstallRecord,
  removable: (key: string) => boolean,
  warnings: string[],
): Promise<void> {
  const files = [...new Set(record.memory.map((c) => c.file))]
  for (const file of files) {
    const abs = `${configsDir}/${file}`
    const before = await readFile(abs, 'utf8').catch(() => undefined)
    if (before === undefined) continue
    let text = before
    for (const chunk of record.memory.filter((c) => c.file === file)) {
      const at = text.lastIndexOf(chunk.text)
      if (at >= 0) {
        text = text.slice(0, at) + text.slice(at + chunk.text.length)
        continue
      }
      const prefix = `# Plugin: ${record.plugin} / `
      text = text
        .split('\n')
        .filter((line) => !line.startsWith(prefix))
        .join('\n')
      warnings.push(`${file}: plugin "${record.plugin}" text was edited; only its marker lines were removed`)
    }
    if (text === '' && removable(`memory-file:${file}`)) await rm(abs, { force: true })
    else if (text !== before) await writeFile(abs, text)
  }
}
