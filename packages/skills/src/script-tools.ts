import { open, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { maskSecrets } from '@molecule/core'
import { realPathInside } from './paths.js'
import { type SkillProblem, skillProblem } from './problems.js'
import { runScript, type ScriptOutcome } from './run-script.js'
import type { ScriptDeclaration } from './script-declarations.js'
import { scriptEnvironment } from './secret-env.js'
import {
  asToolResult,
  type SkillTool,
  type SkillToolResult,
  skillTool,
  TOOL_NAME,
  toolInputSchema,
} from './skill-tool.js'

export interface ScriptToolDefaults {
  /** Default 30 000. */
  timeoutMs: number
  /** Default 262 144 (256 KiB). */
  maxOutputBytes: number
}

export const SCRIPT_TOOL_DEFAULTS: ScriptToolDefaults = { timeoutMs: 30_000, maxOutputBytes: 262_144 }

/** Interpreters for scripts that are not executable themselves, by extension. */
const INTERPRETERS: Readonly<Record<string, string>> = {
  '.py': 'python3',
  '.sh': 'sh',
  '.bash': 'bash',
  '.js': process.execPath,
  '.mjs': process.execPath,
  '.cjs': process.execPath,
  '.rb': 'ruby',
  '.pl': 'perl',
}

async function startsWithShebang(file: string): Promise<boolean> {
  const handle = await open(file, 'r')
  try {
    const head = Buffer.alloc(2)
    await handle.read(head, 0, 2, 0)
    return head.toString('latin1') === '#!'
  } finally {
    await handle.close()
  }
}

/** How to start a script: itself when executable with a `#!` line, else the interpreter for its extension. */
async function commandFor(file: string): Promise<{ command: string; args: string[] } | undefined> {
  const info = await stat(file)
  if ((info.mode & 0o111) !== 0 && (await startsWithShebang(file))) return { command: file, args: [] }
  const interpreter = INTERPRETERS[extname(file).toLowerCase()]
  return interpreter ? { command: interpreter, args: [file] } : undefined
}

/** Tool name from a script file: its stem, other characters than letters, digits, `_` and `-` as `_`. */
export function scriptToolName(script: string): string {
  const stem = script.slice(0, script.length - extname(script).length) || script
  return stem.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)
}

/** What a finished script call means for the model. */
function scriptResult(name: string, outcome: ScriptOutcome, limits: ScriptToolDefaults): SkillToolResult {
  const output = outcome.stdout.trim()
  const stderr = maskSecrets(outcome.stderrTail.trim())
  switch (outcome.ending) {
    case 'timeout':
      return {
        text: `Error: ${name} timed out after ${limits.timeoutMs / 1000} s and was stopped.`,
        isError: true,
      }
    case 'aborted':
      return { text: `Error: ${name} was cancelled.`, isError: true }
    case 'spawn-error':
      return { text: `Error: ${name} could not start: ${outcome.error ?? 'unknown error'}`, isError: true }
    case 'output-cap':
      return {
        text: `Error: ${name} wrote more than ${limits.maxOutputBytes} bytes and was stopped. Its output so far:\n${output}`,
        isError: true,
      }
    default:
      break
  }
  if (outcome.code !== 0) {
    const detail = stderr || output || '(no output)'
    return { text: `Error: ${name} exited with code ${outcome.code}: ${detail}`, isError: true }
  }
  if (!output) return '(no output)'
  try {
    const parsed: unknown = JSON.parse(output)
    // A JSON object with `text` is a whole tool result (`isError`, `data`); any other JSON is data beside the text.
    const whole =
      typeof parsed === 'object' && parsed !== null && typeof (parsed as { text?: unknown }).text === 'string'
    return whole ? asToolResult(parsed) : { text: output, data: parsed }
  } catch {
    return output
  }
}

/**
 * The tool for a declared script: each call runs it in the skill folder with the input as JSON on stdin, the
 * output read from stdout, a scrubbed environment (`SKILL_DIR` added), a timeout and an output cap. A script that is
 * missing, leads out of the folder, or has no way to run is a problem, not a tool.
 */
export async function scriptTool(
  skill: string,
  skillDir: string,
  declaration: ScriptDeclaration,
  options: { defaults: ScriptToolDefaults; env: Readonly<Record<string, string | undefined>> },
): Promise<{ tool?: SkillTool; problems: SkillProblem[] }> {
  const file = `scripts/${declaration.script}`
  const refuse = (message: string) => ({ problems: [skillProblem('error', skill, file, message)] })
  let real: string | undefined
  try {
    real = await realPathInside(skillDir, join(skillDir, file))
  } catch {
    return refuse(`is declared as a tool in ${declaration.declaredIn} but does not exist.`)
  }
  if (!real) return refuse('leads outside the skill folder (a symlink or ..); refused.')
  const command = await commandFor(real)
  if (!command) {
    return refuse(
      `has no interpreter for "${extname(real) || 'no extension'}": make it executable with a #! line, or use .py, .sh, .js, .rb or .pl.`,
    )
  }
  const name = declaration.name || scriptToolName(declaration.script)
  if (!TOOL_NAME.test(name)) {
    return refuse(`tool name "${name}" must be letters, digits, _ or - (at most 64); set "name".`)
  }
  let input: SkillTool['input']
  try {
    input = toolInputSchema(declaration.input)
  } catch (err) {
    return {
      problems: [
        skillProblem(
          'error',
          skill,
          declaration.declaredIn,
          `input schema of tool "${name}": ${(err as Error).message}`,
        ),
      ],
    }
  }
  const problems: SkillProblem[] = []
  if (!declaration.description) {
    problems.push(
      skillProblem(
        'warning',
        skill,
        declaration.declaredIn,
        `tool "${name}" has no description; the model sees only its name.`,
      ),
    )
  }
  const limits: ScriptToolDefaults = {
    timeoutMs: declaration.timeoutMs ?? options.defaults.timeoutMs,
    maxOutputBytes: declaration.maxOutputBytes ?? options.defaults.maxOutputBytes,
  }
  const tool = skillTool(
    { name, description: declaration.description ?? '', input, origin: { skill, file, kind: 'script' } },
    async (ctx, args) =>
      scriptResult(
        name,
        await runScript({
          ...command,
          cwd: skillDir,
          env: scriptEnvironment(options.env, { SKILL_DIR: skillDir }),
          stdin: JSON.stringify(args ?? {}),
          ...limits,
          signal: ctx.signal,
        }),
        limits,
      ),
  )
  return { tool, problems }
}
