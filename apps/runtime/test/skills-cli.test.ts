import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runtimeBin } from './support/runtime-process.js'

/** `molecule-runtime skills check` and `molecule-runtime prompt`, run as the built CLI. */
let root: string
const write = async (path: string, text: string) => {
  await mkdir(dirname(join(root, path)), { recursive: true })
  await writeFile(join(root, path), text)
}

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [runtimeBin, ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'molecule-skills-cli-'))
  await write('plain/SKILL.md', '# Plain\nNo frontmatter.\n')
  await write('broken/SKILL.md', '---\nname: broken\ndescription: [oops\n---\nBody\n')
  await write('colons/SKILL.md', '---\nname: colons\ndescription: Use when: asked\n---\nBody\n')
  await write('api-design/SKILL.md', '---\nname: api-designer\ndescription: Designs APIs.\n---\nBody\n')
  await write('nodesc/SKILL.md', '---\nname: nodesc\n---\nBody\n')
  await write(
    'code-review/SKILL.md',
    '---\nname: code-review\ndescription: Reviews code.\norigin: ECC\nmetadata:\n  author: org\n---\nReview.\n',
  )
  await write('code-review/agents/openai.yaml', 'interface: {}\n')
  await write('code-review/references/checklist.md', '- tests\n')
  await write(
    'code-review/scripts/diffstat.mjs',
    "export default { name: 'diffstat', description: 'Counts changed lines.', input: { type: 'object', properties: { path: { type: 'string' }, max: { type: 'integer' } }, required: ['path'] }, run: () => '0' }\n",
  )
})
afterAll(() => rm(root, { recursive: true, force: true }))

describe('molecule-runtime skills check', () => {
  it.each([
    ['plain', 0, /warning: plain\/SKILL\.md: has no frontmatter/],
    ['broken', 1, /error: broken\/SKILL\.md: frontmatter is not valid YAML \(line \d+: .+\); refused\./],
    [
      'colons',
      0,
      /warning: colons\/SKILL\.md: values with an unquoted ": " were read as quoted; quote them\./,
    ],
    [
      'api-design',
      0,
      /warning: api-design\/SKILL\.md: name "api-designer" differs from the folder name "api-design"/,
    ],
    ['nodesc', 0, /warning: nodesc\/SKILL\.md: no description/],
  ] as const)('%s: exit %i, the problem names the file', async (dir, code, problem) => {
    const result = await cli(['skills', 'check', dir])
    expect(result.code).toBe(code)
    expect(result.stderr).toMatch(problem)
  })

  it('extra keys and folders load cleanly; stdout shows what the agent sees', async () => {
    const result = await cli(['skills', 'check', 'code-review'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('✓ code-review')
    expect(result.stdout).toContain('  description: Reviews code.')
    expect(result.stdout).toContain('  runtimes: *')
    expect(result.stdout).toContain(
      '    diffstat(path: string, max?: integer)  [scripts/diffstat.mjs] — Counts changed lines.',
    )
    expect(result.stdout).toContain(
      '  files: agents/openai.yaml, references/checklist.md, scripts/diffstat.mjs',
    )
  })

  it('several folders: exit 1 when one is refused, the others still printed', async () => {
    const result = await cli(['skills', 'check', 'plain', 'broken'])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('✓ plain')
    expect(result.stdout).toContain('✗ broken: refused')
  })
})

describe('molecule-runtime prompt', () => {
  it('prints the assembled prompt with the skills catalog', async () => {
    await write('configs/config.yaml', 'name: P\nskills: [code-review]\n')
    await write('configs/system-prompt.md', 'You are P.\n')
    await write('configs/skills/code-review/SKILL.md', '---\ndescription: Reviews code.\n---\nSecret body.\n')
    const result = await cli(['prompt', '--configs', 'configs'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^You are P\.\n\n## Your Skills\n.*activate_skill.*\n### code-review\nReviews code\.\n/,
    )
    expect(result.stdout).not.toContain('Secret body.')
  })
})
