import { isMoleculeError } from '@molecule/core'
import { prng } from '@molecule/test-support'
import { afterAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { parseConfig } from './load-config.ts'
import { loadEnv } from './load-env.ts'
import { makeConfigDir } from './test-dirs.ts'

const random = prng(0x5eed_2026)
const int = (n: number) => Math.floor(random() * n)
function pick<T>(items: readonly T[]): T {
  return items[int(items.length)] as T
}

type Kind = 'string' | 'int' | 'number' | 'bool' | 'list' | 'map' | 'enum'
/** Typed leaves of the schema (paths into config.yaml) and what they accept. */
const FIELDS: ReadonlyArray<[string[], Kind]> = [
  [['name'], 'string'],
  [['description'], 'string'],
  [['version'], 'string'],
  [['model'], 'string'],
  [['runtime'], 'string'],
  [['effort'], 'string'],
  [['initial_prompt'], 'string'],
  [['tier'], 'int'],
  [['idle_interval_seconds'], 'int'],
  [['task_budget'], 'int'],
  [['skills'], 'list'],
  [['plugins'], 'list'],
  [['tools'], 'list'],
  [['prompt_files'], 'list'],
  [['shared_context'], 'list'],
  [['runtime_config'], 'map'],
  [['runtime_config', 'command'], 'string'],
  [['runtime_config', 'args'], 'list'],
  [['runtime_config', 'required_env'], 'list'],
  [['runtime_config', 'timeout'], 'int'],
  [['a2a'], 'map'],
  [['a2a', 'port'], 'int'],
  [['a2a', 'streaming'], 'bool'],
  [['a2a', 'push_notifications'], 'bool'],
  [['delegation', 'retry_attempts'], 'int'],
  [['delegation', 'retry_delay'], 'number'],
  [['delegation', 'timeout'], 'number'],
  [['delegation', 'escalate'], 'bool'],
  [['sandbox', 'backend'], 'enum'],
  [['sandbox', 'memory_limit'], 'string'],
  [['sandbox', 'timeout'], 'number'],
  [['rbac', 'roles'], 'list'],
  [['rbac', 'allowed_actions'], 'map'],
  [['hitl', 'channels'], 'list'],
  [['hitl', 'default_timeout'], 'number'],
  [['governance'], 'map'],
  [['governance', 'enabled'], 'bool'],
  [['governance', 'policy_mode'], 'enum'],
  [['governance', 'max_tool_calls_per_task'], 'int'],
  [['security_scan', 'mode'], 'enum'],
  [['security_scan', 'fail_open_if_no_scanner'], 'bool'],
  [['compliance'], 'map'],
  [['compliance', 'mode'], 'enum'],
  [['compliance', 'prompt_injection'], 'enum'],
  [['compliance', 'max_task_duration_seconds'], 'int'],
  [['sub_workspaces'], 'list'],
]

const word = () =>
  Array.from({ length: 1 + int(12) }, () => pick([...'abcdefghijklmnopqrstuvwxyz_-'])).join('')
const letters = () => `x${word()}`

/** A value that `kind` must reject. */
function wrongValue(kind: Kind, deep: boolean): unknown {
  if (deep) {
    // Blocks accept nested maps (warned, or kept in runtime_config), lists of maps accept maps: wrap so the
    // deep value always lands where a scalar is required.
    const value = nest(5 + int(400))
    return kind === 'map' ? [value] : kind === 'list' ? [[value]] : value
  }
  const huge = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 2 ** 70, -(2 ** 70), 1.5]
  switch (kind) {
    case 'string':
      return pick([int(1000), random() < 0.5, [word()], { [word()]: 1 }, 2 ** 80])
    case 'int':
      return pick([letters(), `${int(9)}.${1 + int(9)}x`, 0.5 + int(100), [1], { n: 1 }, true, ...huge])
    case 'number':
      return pick([letters(), [1.5], { n: 1 }, false, -1 - int(1000), Number.POSITIVE_INFINITY])
    case 'bool':
      return pick([letters(), int(10), [true], { on: true }, 'maybe'])
    case 'list':
      return pick([letters(), int(10) + 1, true, [[word()]], [int(9)], [{ a: [] }]])
    case 'map':
      return pick([letters(), int(10) + 1, [word()], true])
    case 'enum':
      return pick([letters(), int(10), [word()], { mode: 1 }])
  }
}

function nest(depth: number): unknown {
  let value: unknown = word()
  for (let i = 0; i < depth; i++) value = random() < 0.5 ? [value] : { [word()]: value }
  return value
}

function place(path: string[], value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = { name: 'fuzz' }
  let cursor = root
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      cursor[key] = value
      return
    }
    const child: Record<string, unknown> = {}
    cursor[key] = child
    cursor = child
  })
  return root
}

const YAML_BREAKERS = [
  'a2a:\n  port: [8000\n',
  'name: "unterminated\n',
  'skills: {a: 1\n',
  'name: x\nname: y\n',
  '\tname: tabbed\n',
  'a2a:\n  port: 1\n port: 2\n',
  'key:\n  - item\n  nested: map\n',
  '? [a\n',
  'name: x\n---\nname: y\n',
  '&anchor name: *undefined_alias\n',
  'a2a: {port: 1,, streaming: true}\n',
  '"quoted key: no close\n',
]

function junk(): string {
  const bytes = Array.from({ length: 1 + int(200) }, () => int(256))
  return Buffer.from(bytes).toString('latin1')
}

interface Case {
  label: string
  text: string
}

const NUMERIC_FIELDS = FIELDS.filter(([, kind]) => kind === 'int' || kind === 'number')
const HUGE = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 64, -(2 ** 64), 1e20, 9.9e307]
const toYaml = (doc: unknown) => stringify(doc, { version: '1.1', aliasDuplicateObjects: false })

function generate(count: number): Case[] {
  const cases: Case[] = []
  for (let i = 0; i < count; i++) {
    switch (i % 6) {
      case 0: {
        const [path, kind] = pick(FIELDS)
        cases.push({
          label: `wrong type ${path.join('.')}`,
          text: toYaml(place(path, wrongValue(kind, false))),
        })
        break
      }
      case 1: {
        const key = pick(['initial_prompt_file', 'idle_prompt_file'])
        const name = pick([`${word()}.md`, `prompts/${word()}/x.md`, `../${word()}-missing.txt`])
        cases.push({ label: `missing ${key}`, text: toYaml({ name: 'fuzz', [key]: name }) })
        break
      }
      case 2: {
        const prefix = random() < 0.5 ? 'name: ok\n' : ''
        cases.push({ label: 'garbage yaml', text: prefix + pick(YAML_BREAKERS) })
        break
      }
      case 3: {
        const [path] = pick(NUMERIC_FIELDS)
        cases.push({ label: `huge ${path.join('.')}`, text: toYaml(place(path, pick(HUGE))) })
        break
      }
      case 4: {
        const [path, kind] = pick(FIELDS)
        cases.push({ label: `deep ${path.join('.')}`, text: toYaml(place(path, wrongValue(kind, true))) })
        break
      }
      default:
        // Binary junk, followed by a line no valid config.yaml can contain.
        cases.push({ label: 'binary junk', text: `${junk()}\ntier: {bad: 1}\n` })
    }
  }
  return cases
}

describe('invalid config fuzz', () => {
  const made = makeConfigDir()
  afterAll(made.cleanup)
  const env = loadEnv({}, { inDocker: false })

  it('every one of 1,200 invalid configs yields a MoleculeError with a path, never a raw exception', () => {
    const cases = generate(1200)
    const escaped: string[] = []
    const codes = new Map<string, number>()
    for (const { label, text } of cases) {
      try {
        parseConfig(text, { env, configDir: made.dir })
        escaped.push(`${label}: accepted ${JSON.stringify(text.slice(0, 120))}`)
      } catch (err) {
        if (!isMoleculeError(err) || typeof err.path !== 'string' || err.path === '') {
          escaped.push(`${label}: ${String(err)} for ${JSON.stringify(text.slice(0, 120))}`)
          continue
        }
        expect(err.message.length).toBeGreaterThan(0)
        codes.set(err.code, (codes.get(err.code) ?? 0) + 1)
      }
    }
    expect(escaped).toEqual([])
    // Every failure family was exercised, so the generator did what it claims.
    expect([...codes.keys()].sort()).toEqual(['CONFIG_INVALID', 'CONFIG_PROMPT_FILE', 'CONFIG_YAML_SYNTAX'])
  })
})
