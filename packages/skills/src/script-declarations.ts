import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type SkillProblem, skillProblem } from './problems.js'

/** A script in `scripts/` declared as a tool, in SKILL.md's `tools:` list or in a `<script>.json` sidecar. */
export interface ScriptDeclaration {
  /** File name inside `scripts/`. */
  script: string
  name?: string
  description?: string
  /** JSON schema of the input (an object). */
  input?: unknown
  timeoutMs?: number
  maxOutputBytes?: number
  /** Where it was declared, relative to the skill folder. */
  declaredIn: string
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The fields of one declaration; `file` names where it came from in warnings. */
function declaration(
  skill: string,
  raw: Record<string, unknown>,
  script: string,
  declaredIn: string,
  problems: SkillProblem[],
): ScriptDeclaration {
  const warn = (message: string) => problems.push(skillProblem('warning', skill, declaredIn, message))
  const out: ScriptDeclaration = { script, declaredIn }
  if (typeof raw.name === 'string') out.name = raw.name.trim()
  if (typeof raw.description === 'string') out.description = raw.description.trim()
  const input = raw.input ?? raw.inputSchema ?? raw.input_schema
  if (input !== undefined) out.input = input
  if (raw.timeout !== undefined) {
    const seconds = Number(raw.timeout)
    if (Number.isFinite(seconds) && seconds > 0 && seconds <= 86_400)
      out.timeoutMs = Math.round(seconds * 1000)
    else warn(`tool ${script}: "timeout" must be a number of seconds from 0 to 86400; the default is used.`)
  }
  if (raw.max_output_bytes !== undefined) {
    const bytes = Number(raw.max_output_bytes)
    if (Number.isInteger(bytes) && bytes > 0) out.maxOutputBytes = bytes
    else warn(`tool ${script}: "max_output_bytes" must be a whole number above 0; the default is used.`)
  }
  return out
}

/** Script file name from a declaration's `script` (`fetch.py` or `scripts/fetch.py`). */
function scriptName(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined
  return value.trim().replace(/^\.?\/?scripts\//, '')
}

/** The `tools:` list of SKILL.md's frontmatter: `- script: fetch.py` entries with name, description, input … */
export function frontmatterDeclarations(
  skill: string,
  raw: unknown,
): { declarations: ScriptDeclaration[]; problems: SkillProblem[] } {
  const problems: SkillProblem[] = []
  const declarations: ScriptDeclaration[] = []
  if (raw === undefined || raw === null) return { declarations, problems }
  if (!Array.isArray(raw)) {
    problems.push(
      skillProblem(
        'error',
        skill,
        'SKILL.md',
        '"tools" must be a list of {script, description, input} entries.',
      ),
    )
    return { declarations, problems }
  }
  raw.forEach((entry, index) => {
    const script = isMap(entry) ? scriptName(entry.script) : undefined
    if (!isMap(entry) || !script) {
      problems.push(
        skillProblem('error', skill, 'SKILL.md', `tools[${index}] needs "script": a file in scripts/.`),
      )
      return
    }
    declarations.push(declaration(skill, entry, script, 'SKILL.md', problems))
  })
  return { declarations, problems }
}

/** `scripts/<script>.json`, when there is one: the same fields as a `tools:` entry, `script` implied. */
export async function sidecarDeclaration(
  skill: string,
  scriptsDir: string,
  script: string,
): Promise<{ declaration?: ScriptDeclaration; problems: SkillProblem[] }> {
  const problems: SkillProblem[] = []
  const file = `scripts/${script}.json`
  let text: string
  try {
    text = await readFile(join(scriptsDir, `${script}.json`), 'utf8')
  } catch {
    return { problems }
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    problems.push(skillProblem('error', skill, file, `is not valid JSON: ${(err as Error).message}`))
    return { problems }
  }
  if (!isMap(raw)) {
    problems.push(skillProblem('error', skill, file, 'must be a JSON object {description, input, …}.'))
    return { problems }
  }
  return { declaration: declaration(skill, raw, script, file, problems), problems }
}
