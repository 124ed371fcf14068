import { excerptHead, MoleculeError, maskSecrets } from '@molecule/core'
import type { z } from 'zod'
import { STRING } from './schema.ts'

/** One thing wrong in config.yaml, as listed in `MoleculeError.details` for `CONFIG_INVALID`. */
export interface ConfigProblem {
  /** YAML path such as `a2a.port` or `skills[2]`; `(top level)` for the document itself. */
  path: string
  /** Short, masked rendering of the offending value. */
  value: string
  expected: string
  fix: string
}

const SECRET_KEY = /token|secret|password|passwd|api[_-]?key|credential|webhook|private[_-]?key/i
const MAX_PREVIEW = 60

export function formatPath(segments: readonly PropertyKey[]): string {
  let out = ''
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`
    else out += out ? `.${String(segment)}` : String(segment)
  }
  return out || '(top level)'
}

/** Renders a value for a message: bounded work on any input (deep nesting, huge strings, cycles). */
export function previewValue(value: unknown, segments: readonly PropertyKey[] = []): string {
  if (segments.some((s) => typeof s === 'string' && SECRET_KEY.test(s))) return '<redacted>'
  const text = render(value, 3)
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW - 3)}...` : text
}

function render(value: unknown, depth: number): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (typeof value === 'string') {
    // Masked before it is clipped: a token cut in half would no longer look like one.
    const masked = maskSecrets(excerptHead(value))
    const clipped = masked.length > MAX_PREVIEW ? masked.slice(0, MAX_PREVIEW) : masked
    return JSON.stringify(clipped)
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value)
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : value.toISOString()
  if (value instanceof Uint8Array) return `binary data (${value.length} bytes)`
  if (depth === 0) return Array.isArray(value) ? '[…]' : '{…}'
  if (Array.isArray(value)) {
    const items = value.slice(0, 5).map((item) => render(item, depth - 1))
    return `[${items.join(', ')}${value.length > 5 ? ', …' : ''}]`
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).slice(0, 5)
    const parts = entries.map(([key, item]) =>
      SECRET_KEY.test(key) ? `${key}: <redacted>` : `${key}: ${render(item, depth - 1)}`,
    )
    return `{${parts.join(', ')}}`
  }
  return typeof value
}

/** The value at `segments`; stops at a scalar on the way (for `security_scan: 5` the 5 is the culprit). */
function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  let current = root
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return current
    current = (current as Record<PropertyKey, unknown>)[segment]
  }
  return current
}

/** zod's own wording for issues our schema did not phrase (defensive; every field sets `error`). */
function expectedFrom(issue: z.core.$ZodIssue): string {
  if (!issue.message.startsWith('Invalid')) return issue.message
  if (issue.code === 'invalid_type') return `a ${issue.expected}`
  return issue.message.replace(/^Invalid input:?\s*/i, '') || 'a valid value'
}

export function problemFromIssue(issue: z.core.$ZodIssue, input: unknown): ConfigProblem {
  const path = formatPath(issue.path)
  const expected = expectedFrom(issue)
  const raw = valueAt(input, issue.path)
  let fix = `Set ${path} to ${expected}, or delete it to use the default.`
  if (path === '(top level)') fix = 'Write config.yaml as key: value lines (for example `name: My agent`).'
  else if (expected === STRING)
    fix = `Set ${path} to text; quote values YAML reads as numbers, dates or booleans (e.g. "1.0").`
  return { path, value: previewValue(raw, issue.path), expected, fix }
}

export function problemLine(problem: ConfigProblem): string {
  return `${problem.path}: got ${problem.value}, expected ${problem.expected}. Fix: ${problem.fix}`
}

/** All problems in one error, one line each, so a user fixes everything in one pass. */
export function configInvalidError(problems: ConfigProblem[], source: string): MoleculeError {
  const first = problems[0]
  const heading =
    problems.length === 1 ? `${source} has 1 problem:` : `${source} has ${problems.length} problems:`
  return new MoleculeError(
    'CONFIG_INVALID',
    [heading, ...problems.map((p) => `  ${problemLine(p)}`)].join('\n'),
    { path: first?.path ?? '(top level)', fix: first?.fix, details: problems },
  )
}
