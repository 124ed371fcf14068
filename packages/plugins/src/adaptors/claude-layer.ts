import { join } from 'node:path'
import { isDirectory, readText } from '../files.js'
import { isPlainObject, substitute } from '../json-format.js'
import type { InstallContext } from '../protocol.js'
import { copyTree } from './copy-files.js'

export const SETTINGS_FRAGMENT = 'settings-fragment.json'

/** Reads a JSON settings file of the plugin; a broken one is a warning naming it, and nothing is merged. */
export async function readFragment(
  ctx: InstallContext,
  file: string,
): Promise<Record<string, unknown> | undefined> {
  const text = await readText(file)
  if (text === undefined) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    if (isPlainObject(parsed)) return parsed
    ctx.warn(`${file} is not a JSON object; not merged`)
  } catch (err) {
    ctx.warn(`${file} is not valid JSON (${(err as Error).message}); not merged`)
  }
  return undefined
}

/**
 * The Claude Code layer of a Molecule plugin: `hooks/*` to `.claude/hooks/` (line endings normalised, `.sh`
 * executable), `commands/*.md` to `.claude/commands/`, and `settings-fragment.json` (at the plugin root or in
 * `hooks/`) merged into `.claude/settings.json` with `${CLAUDE_DIR}` pointing at the absolute `.claude` folder.
 */
export async function installClaudeLayer(ctx: InstallContext): Promise<void> {
  const root = ctx.pluginRoot
  const claudeDir = join(ctx.configsDir, '.claude')
  if (await isDirectory(join(root, 'hooks')))
    await copyTree(ctx, join(root, 'hooks'), '.claude/hooks', {
      keep: (rel) => rel !== SETTINGS_FRAGMENT,
      topLevelOnly: true,
    })
  if (await isDirectory(join(root, 'commands')))
    await copyTree(ctx, join(root, 'commands'), '.claude/commands', {
      keep: (rel) => rel.endsWith('.md'),
      topLevelOnly: true,
    })
  for (const file of [join(root, SETTINGS_FRAGMENT), join(root, 'hooks', SETTINGS_FRAGMENT)]) {
    const fragment = await readFragment(ctx, file)
    if (fragment)
      await ctx.mergeSettings(
        substitute(fragment, { CLAUDE_DIR: claudeDir }) as Record<string, unknown>,
        file,
      )
  }
}
