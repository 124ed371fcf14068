import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** A temp folder of skills; `write` creates files (and their folders) relative to it. */
export async function skillsTree(): Promise<{
  root: string
  write(path: string, content: string, mode?: number): Promise<string>
  cleanup(): Promise<void>
}> {
  const root = await mkdtemp(join(tmpdir(), 'molecule-skills-'))
  return {
    root,
    async write(path, content, mode) {
      const file = join(root, path)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, content, mode === undefined ? undefined : { mode })
      return file
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  }
}

export const skillMd = (frontmatter: string, body = 'Do the thing.') => `---\n${frontmatter}\n---\n${body}\n`
