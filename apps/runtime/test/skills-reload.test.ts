import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Adapter, SetupResult } from '@molecule/adapter-core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { recordingLogger, until } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { inProcessEnv } from './support/runtime-process.js'

/**
 * Hot reload end to end against the dev platform: a skill edit reaches the served card, the platform's copy of the
 * card, the adapter's tools and the system prompt; a broken script keeps the last good tools with one error line.
 */
let runtime: RunningRuntime | undefined
let platform: RunningDevPlatform | undefined
let root: string | undefined
afterEach(async () => {
  await runtime?.stop('test')
  await platform?.close()
  if (root) await rm(root, { recursive: true, force: true })
  runtime = platform = root = undefined
})

const skillMd = (description: string) =>
  `---\nname: greeter\ndescription: ${description}\n---\nGreet warmly.\n`
const tool = (name: string) => `export default { name: '${name}', description: 'd', run: () => '${name}' }\n`

/** The echo adapter, recording each `SetupResult` it is handed. */
function recordingAdapter(setups: SetupResult[]): Adapter {
  return {
    name: 'recorder',
    setup: (config) => {
      if (config.setup) setups.push(config.setup)
    },
    createExecutor: () => (ctx) => ctx.text,
    onSkillsChanged: (setup) => {
      setups.push(setup)
    },
  }
}

interface CardSkill {
  id: string
  description: string
}

describe('skills hot reload', () => {
  it('an edit reaches both cards, a new script reaches the adapter, a broken one keeps the last good tools', async () => {
    platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
    root = await mkdtemp(join(tmpdir(), 'molecule-skills-reload-'))
    await writeFile(join(root, 'config.yaml'), 'name: Skilled\nruntime: recorder\nskills: [greeter]\n')
    await writeFile(join(root, 'system-prompt.md'), 'You greet.')
    await mkdir(join(root, 'skills/greeter/scripts'), { recursive: true })
    await writeFile(join(root, 'skills/greeter/SKILL.md'), skillMd('Says hello.'))
    await writeFile(join(root, 'skills/greeter/scripts/hello.mjs'), tool('hello'))
    const setups: SetupResult[] = []
    const log = recordingLogger()
    const workspaceId = randomUUID()
    runtime = await startRuntime({
      logger: log,
      builtins: { recorder: recordingAdapter(setups) },
      env: inProcessEnv(root, workspaceId, platform.url, {
        HOSTNAME: '127.0.0.1',
        MOLECULE_SKILLS_DEBOUNCE_MS: '40',
        MOLECULE_REGISTER_RETRY_BASE_MS: '20',
      }),
    })
    await runtime.registered
    const local = `http://127.0.0.1:${runtime.port}`
    const servedSkills = async (path: string) =>
      ((await (await fetch(`${local}${path}`)).json()) as { skills: CardSkill[] }).skills
    const platformSkills = async () =>
      (
        (await (await fetch(`${platform?.url}/workspaces/${workspaceId}`)).json()) as {
          agent_card: { skills: CardSkill[] } | null
        }
      ).agent_card?.skills
    const toolNames = () => setups.at(-1)?.tools.map((t) => t.name) ?? []

    expect((await servedSkills('/.well-known/agent-card.json'))[0]?.description).toBe('Says hello.')
    expect(toolNames()).toEqual(expect.arrayContaining(['activate_skill', 'hello']))
    expect(setups.at(-1)?.systemPrompt).toContain('## Your Skills')
    expect(setups.at(-1)?.systemPrompt).toContain('### greeter\nSays hello.')

    await writeFile(join(root, 'skills/greeter/SKILL.md'), skillMd('Says hello, edited.'))
    for (const path of ['/.well-known/agent-card.json', '/.well-known/agent.json']) {
      await until(
        async () => (await servedSkills(path))[0]?.description === 'Says hello, edited.',
        5000,
        path,
      )
    }
    await until(
      async () => (await platformSkills())?.[0]?.description === 'Says hello, edited.',
      5000,
      'platform card',
    )
    await until(() => setups.at(-1)?.systemPrompt.includes('Says hello, edited.'), 5000, 'prompt rebuilt')

    await writeFile(join(root, 'skills/greeter/scripts/wave.mjs'), tool('wave'))
    await until(() => toolNames().includes('wave'), 5000, 'the new tool handed to the adapter')
    const wave = setups.at(-1)?.tools.find((t) => t.name === 'wave')
    expect(await wave?.run(undefined, {})).toBe('wave')

    const handed = setups.length
    const errorsBefore = log.at('error').length
    await writeFile(join(root, 'skills/greeter/scripts/wave.mjs'), 'export default {\n')
    await until(() => log.at('error').length > errorsBefore, 5000, 'the reload failure logged')
    await new Promise((r) => setTimeout(r, 200))
    const errors = log.at('error').slice(errorsBefore)
    expect(errors).toHaveLength(1)
    expect(errors[0]?.msg).toMatch(
      /^skill reload failed \(the previous version keeps serving\): greeter\/scripts\/wave\.mjs: does not load: SyntaxError/,
    )
    expect(setups).toHaveLength(handed)
    expect(toolNames()).toEqual(expect.arrayContaining(['hello', 'wave']))

    // Every reload, good or failed, is a line of the workspace's audit log.
    const audit = async () =>
      (await readFile(join(root as string, 'audit.jsonl'), 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((e) => e.event_type === 'skill_reload')
    await until(
      async () => (await audit()).some((e) => e.outcome === 'failure'),
      5000,
      'the failed reload audited',
    )
    const reloads = await audit()
    expect(reloads.every((e) => e.action === 'reload' && e.resource === 'greeter')).toBe(true)
    expect(reloads.filter((e) => e.outcome === 'success').length).toBeGreaterThanOrEqual(2)
  })
})
