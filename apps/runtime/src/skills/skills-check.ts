import { basename, resolve } from 'node:path'
import {
  describeProblem,
  loadSkill,
  type SkillTool,
  skillCatalog,
  toolInputJsonSchema,
} from '@molecule/skills'

interface Output {
  out: (line: string) => void
  err: (line: string) => void
}

type JsonSchema = {
  type?: unknown
  properties?: Record<string, JsonSchema>
  required?: unknown
  items?: JsonSchema
  enum?: unknown[]
}

function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return 'any'
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ')
  if (schema.type === 'array') return `${typeOf(schema.items)}[]`
  if (typeof schema.type === 'string') return schema.type
  if (Array.isArray(schema.type)) return schema.type.join(' | ')
  return 'any'
}

/** `name(text: string, limit?: integer)`: a tool's arguments as the model sees them. */
export function toolSignature(tool: SkillTool): string {
  const schema = toolInputJsonSchema(tool) as JsonSchema
  const required = new Set(Array.isArray(schema.required) ? schema.required : [])
  const args = Object.entries(schema.properties ?? {}).map(
    ([name, prop]) => `${name}${required.has(name) ? '' : '?'}: ${typeOf(prop)}`,
  )
  return `${tool.name}(${args.join(', ')})`
}

/**
 * `molecule-runtime skills check <dir>...`: loads each skill folder as the runtime would and prints what the agent
 * sees (id, name, description, runtimes, tools with their arguments) on stdout, each problem on stderr.
 * Exit code 0 when every skill loads without an error, else 1.
 */
export async function skillsCheck(dirs: readonly string[], io: Output): Promise<number> {
  if (dirs.length === 0) {
    io.err(
      'molecule-runtime skills check: name at least one skill folder (molecule-runtime skills check skills/my-skill).',
    )
    return 2
  }
  let failed = false
  for (const dir of dirs) {
    const folder = resolve(dir)
    const { skill, problems } = await loadSkill(folder)
    for (const problem of problems) io.err(`${problem.level}: ${describeProblem(problem)}`)
    if (problems.some((p) => p.level === 'error')) failed = true
    if (!skill) {
      io.out(`✗ ${basename(folder)}: refused (${folder})`)
      continue
    }
    const listed = skillCatalog([skill]).entries.length > 0
    io.out(`✓ ${skill.id} (${folder})`)
    io.out(`  name: ${skill.name}`)
    io.out(`  description: ${skill.description || '(none)'}`)
    io.out(`  runtimes: ${skill.runtime.join(', ')}`)
    if (!listed) io.out('  catalog: hidden (disable-model-invocation)')
    io.out(`  tools:${skill.tools.length === 0 ? ' (none)' : ''}`)
    for (const tool of skill.tools) {
      io.out(
        `    ${toolSignature(tool)}  [${tool.origin.file}]${tool.description ? ` — ${tool.description}` : ''}`,
      )
    }
    if (skill.files.length > 0) io.out(`  files: ${skill.files.join(', ')}`)
  }
  return failed ? 1 : 0
}
