import { readFile, rm, writeFile } from 'node:fs/promises'
import type { InstallRecord } from './install-record.js'
import type { InstallTracker } from './install-tracker.js'
import { formatJson, isPlainObject, type JsonLayout, layoutOf, valueHash } from './json-format.js'

/** Claude Code's project settings, relative to the configs dir. */
export const SETTINGS_FILE = '.claude/settings.json'

type Settings = Record<string, unknown>

interface HookGroup {
  matcher?: unknown
  hooks?: unknown
}

function commandsOf(group: HookGroup): string[] {
  const hooks = Array.isArray(group.hooks) ? group.hooks : []
  return hooks
    .map((h) => (isPlainObject(h) && typeof h.command === 'string' ? h.command : ''))
    .filter(Boolean)
    .sort()
}

/** Two handler groups are the same hook when they match the same tools and run the same set of commands. */
function hookKey(event: string, group: HookGroup): string {
  const matcher = typeof group.matcher === 'string' ? group.matcher : ''
  return `hook:${SETTINGS_FILE}:${event}:${JSON.stringify([matcher, commandsOf(group)])}`
}

async function readSettings(
  abs: string,
): Promise<{ settings: Settings; layout: JsonLayout; existed: boolean } | 'invalid'> {
  const text = await readFile(abs, 'utf8').catch(() => undefined)
  if (text === undefined) return { settings: {}, layout: layoutOf('{\n  \n}\n'), existed: false }
  try {
    const parsed: unknown = JSON.parse(text)
    return isPlainObject(parsed) ? { settings: parsed, layout: layoutOf(text), existed: true } : 'invalid'
  } catch {
    return 'invalid'
  }
}

function container(settings: Settings, key: string): Record<string, unknown> | undefined {
  const value = settings[key]
  return isPlainObject(value) ? value : undefined
}

/**
 * Merges a settings fragment (a Molecule `settings-fragment.json`, a Claude Code `hooks.json` or `.mcp.json`) into
 * `.claude/settings.json`: hook handler groups appended per event unless the same group is there already; object
 * values (`mcpServers` …) merged name by name, never replacing a different entry; other values set only when absent.
 * A settings file that is not a JSON object is left untouched (a warning), never replaced.
 */
export async function mergeSettings(
  tracker: InstallTracker,
  fragment: Settings,
  from: string,
): Promise<void> {
  const abs = tracker.resolve(SETTINGS_FILE)
  const read = await readSettings(abs)
  if (read === 'invalid') {
    tracker.warn(`${from} not merged: ${SETTINGS_FILE} is not a JSON object`)
    return
  }
  const { settings, layout, existed } = read
  tracker.claim(`settings:${SETTINGS_FILE}`, existed)
  const before = JSON.stringify(settings)
  for (const [key, value] of Object.entries(fragment)) {
    if (key === 'hooks' && isPlainObject(value)) mergeHooks(tracker, settings, value)
    else if (isPlainObject(value)) {
      tracker.claim(`entry:${SETTINGS_FILE}:${key}`, key in settings)
      if (!(key in settings)) settings[key] = {}
      const target = container(settings, key)
      if (!target) {
        tracker.warn(`${from}: "${key}" not merged, ${SETTINGS_FILE} has a non-object "${key}"`)
        continue
      }
      for (const [name, entry] of Object.entries(value)) {
        const present = name in target
        if (present && valueHash(target[name]) !== valueHash(entry)) {
          tracker.warn(`${from}: kept the existing ${key}.${name} of ${SETTINGS_FILE}`)
          continue
        }
        target[name] = entry
        tracker.claim(`entry:${SETTINGS_FILE}:${key}:${name}`, present, valueHash(entry))
      }
    } else if (!(key in settings) || valueHash(settings[key]) === valueHash(value)) {
      tracker.claim(`value:${SETTINGS_FILE}:${key}`, key in settings, valueHash(value))
      settings[key] = value
    }
  }
  if (JSON.stringify(settings) === before && existed) return
  await tracker.ensureDir('.claude')
  await writeFile(abs, formatJson(settings, layout))
  tracker.wrote(SETTINGS_FILE)
}

function mergeHooks(tracker: InstallTracker, settings: Settings, hooks: Record<string, unknown>): void {
  tracker.claim(`entry:${SETTINGS_FILE}:hooks`, 'hooks' in settings)
  if (!isPlainObject(settings.hooks)) settings.hooks = {}
  const target = settings.hooks as Record<string, unknown>
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue
    tracker.claim(`entry:${SETTINGS_FILE}:hooks:${event}`, event in target)
    if (!Array.isArray(target[event])) target[event] = []
    const list = target[event] as unknown[]
    for (const group of groups) {
      if (!isPlainObject(group)) continue
      const key = hookKey(event, group)
      const present = list.some((g) => isPlainObject(g) && hookKey(event, g) === key)
      if (!present) list.push(group)
      tracker.claim(key, present, valueHash(group))
    }
  }
}

/** `mcpServers:my:server` → `['mcpServers', 'my:server']`; a bare key stays one element. */
function splitOnce(path: string): [string] | [string, string] {
  const at = path.indexOf(':')
  return at < 0 ? [path] : [path.slice(0, at), path.slice(at + 1)]
}

/** Which claims of a record uninstall may take away: not the user's, and no other installed plugin's. */
export type Removable = (key: string) => boolean

/**
 * Takes out of `.claude/settings.json` what a record added and no remaining plugin needs: its hook groups, its
 * entries (unless changed since), the containers it created once empty, and the file itself once it is `{}` again.
 * The file keeps its indentation and final newline, so an untouched file comes back byte for byte.
 */
export async function unmergeSettings(
  configsDir: string,
  record: InstallRecord,
  removable: Removable,
  warnings: string[],
): Promise<void> {
  const abs = `${configsDir}/${SETTINGS_FILE}`
  const read = await readSettings(abs)
  if (read === 'invalid') {
    warnings.push(`${SETTINGS_FILE} is not a JSON object: plugin "${record.plugin}" entries left in it`)
    return
  }
  if (!read.existed) return
  const { settings, layout } = read
  const before = JSON.stringify(settings)
  const hooks = container(settings, 'hooks')
  for (const claim of record.claims) {
    if (!removable(claim.key)) continue
    if (claim.key.startsWith('hook:') && hooks) {
      const event = claim.key.slice(`hook:${SETTINGS_FILE}:`.length).split(':')[0] ?? ''
      const list = hooks[event]
      if (!Array.isArray(list)) continue
      const index = list.findIndex(
        (g) => isPlainObject(g) && hookKey(event, g) === claim.key && valueHash(g) === claim.sha256,
      )
      if (index >= 0) list.splice(index, 1)
    } else if (claim.key.startsWith(`entry:${SETTINGS_FILE}:`) && claim.sha256 !== undefined) {
      const [key, name = ''] = splitOnce(claim.key.slice(`entry:${SETTINGS_FILE}:`.length))
      const target = container(settings, key)
      if (target && name in target && valueHash(target[name]) === claim.sha256) delete target[name]
    } else if (claim.key.startsWith(`value:${SETTINGS_FILE}:`)) {
      const key = claim.key.slice(`value:${SETTINGS_FILE}:`.length)
      if (key in settings && valueHash(settings[key]) === claim.sha256) delete settings[key]
    }
  }
  // Containers last, innermost first: `hooks.<event>` before `hooks`.
  const containers = record.claims
    .filter((c) => c.key.startsWith(`entry:${SETTINGS_FILE}:`) && c.sha256 === undefined && removable(c.key))
    .map((c) => splitOnce(c.key.slice(`entry:${SETTINGS_FILE}:`.length)))
    .sort((a, b) => b.length - a.length)
  for (const [key, name] of containers) {
    const parent = name === undefined ? settings : container(settings, key)
    const child = name === undefined ? key : name
    const value = parent?.[child]
    const empty = Array.isArray(value)
      ? value.length === 0
      : isPlainObject(value) && Object.keys(value).length === 0
    if (parent && empty) delete parent[child]
  }
  if (removable(`settings:${SETTINGS_FILE}`) && Object.keys(settings).length === 0) {
    await rm(abs, { force: true })
    return
  }
  if (JSON.stringify(settings) !== before) await writeFile(abs, formatJson(settings, layout))
}
