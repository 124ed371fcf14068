import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { maskSecrets } from '@molecule/core'
import { type SkillProblem, skillProblem } from './problems.js'
import { withoutSecretEnv } from './secret-env.js'
import { type SkillTool, skillTool, TOOL_NAME, toolInputSchema } from './skill-tool.js'

/** Module URLs already evaluated: importing one again costs nothing and runs no code, so it needs no scrub. */
const evaluated = new Set<string>()

/** `node --check` names the line and the reason of a syntax error, which `import()`'s error does not always do. */
function syntaxError(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--check', file], { timeout: 10_000 }, (err, _stdout, stderr) => {
      if (!err) return resolve(undefined)
      const line = /:(\d+)\n/.exec(stderr)?.[1]
      const reason = /^SyntaxError: .*$/m.exec(stderr)?.[0]
      resolve(reason ? `${reason}${line ? ` (line ${line})` : ''}` : undefined)
    })
  })
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Something meant as a tool definition: an object with a `run` function or with a name and an input schema. */
function looksLikeTool(value: unknown): value is Record<string, unknown> {
  if (!isMap(value)) return false
  return (
    typeof value.run === 'function' ||
    (typeof value.name === 'string' && ('input' in value || 'inputSchema' in value))
  )
}

/** The tool definitions a module exports: `default` first, then the named exports; arrays of tools count too. */
function exportedDefinitions(
  namespace: Record<string, unknown>,
): Array<{ from: string; value: Record<string, unknown> }> {
  const seen = new Set<unknown>()
  const out: Array<{ from: string; value: Record<string, unknown> }> = []
  const names = Object.keys(namespace).sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : 0))
  for (const name of names) {
    const exported = namespace[name]
    const values = Array.isArray(exported) ? exported : [exported]
    values.forEach((value, index) => {
      if (!looksLikeTool(value) || seen.has(value)) return
      seen.add(value)
      out.push({ from: Array.isArray(exported) ? `${name}[${index}]` : name, value })
    })
  }
  return out
}

/**
 * Imports a JS/ESM module of `scripts/` (`file` is its real path, `rel` its path in the skill folder) and turns its
 * exported tool definitions — `{ name, description, input (zod or JSON schema), run(ctx, input) }`, the
 * `@molecule/tools` shape — into tools. The module's top level runs with the secret variables removed from the
 * environment. A module whose content changed is imported afresh (its URL carries the content hash); its own
 * relative imports are not.
 */
export async function moduleTools(
  skill: string,
  file: string,
  rel: string,
): Promise<{ tools: SkillTool[]; problems: SkillProblem[]; hash: string }> {
  const problems: SkillProblem[] = []
  const problem = (level: SkillProblem['level'], message: string) =>
    problems.push(skillProblem(level, skill, rel, message))
  const hash = createHash('sha256')
    .update(await readFile(file))
    .digest('hex')
  const url = `${pathToFileURL(file).href}?content=${hash.slice(0, 16)}`
  let namespace: Record<string, unknown>
  try {
    namespace = evaluated.has(url)
      ? await import(url)
      : await withoutSecretEnv(() => import(url) as Promise<Record<string, unknown>>)
    evaluated.add(url)
  } catch (err) {
    const reason =
      (await syntaxError(file)) ?? (err instanceof Error ? `${err.name}: ${err.message}` : String(err))
    problem('error', `does not load: ${maskSecrets(reason)}`)
    return { tools: [], problems, hash }
  }
  const tools: SkillTool[] = []
  for (const { from, value } of exportedDefinitions(namespace)) {
    const label = `export "${from}"`
    const { name, description, run } = value
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
      problem(
        'error',
        `${label}: tool name ${JSON.stringify(name)} must be letters, digits, _ or - (at most 64).`,
      )
      continue
    }
    if (typeof run !== 'function') {
      problem('error', `${label}: tool "${name}" has no run(ctx, input) function.`)
      continue
    }
    if (typeof description !== 'string' || !description.trim()) {
      problem('warning', `tool "${name}" has no description; the model sees only its name.`)
    }
    let input: SkillTool['input']
    try {
      input = toolInputSchema(value.input ?? value.inputSchema)
    } catch (err) {
      problem('error', `input schema of tool "${name}": ${(err as Error).message}`)
      continue
    }
    tools.push(
      skillTool(
        {
          name,
          description: typeof description === 'string' ? description.trim() : '',
          input,
          origin: { skill, file: rel, kind: 'module' },
        },
        (ctx, args) => (run as (ctx: unknown, input: unknown) => unknown).call(value, ctx, args) as never,
      ),
    )
  }
  if (tools.length === 0 && problems.length === 0) {
    problem(
      'warning',
      'exports no tools ({ name, description, input, run }); name helper modules with a leading _.',
    )
  }
  return { tools, problems, hash }
}
