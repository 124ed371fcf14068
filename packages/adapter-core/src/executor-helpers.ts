/**
 * Small, runtime-agnostic helpers template executors share (CLI and SDK executors especially).
 */

const FENCE = /^(`{3}|~{3})/

/**
 * A one-line summary of a (markdown) reply for status lines and activity logs: the first line that
 * says something — headings unmarked, blank lines, code fences and `---` rules skipped, bold/underline
 * markers removed — cut to `maxLen` (≥ 4) with `...`. Falls back to the raw text start.
 */
export function briefSummary(text: string, maxLen = 80): string {
  const max = Math.max(4, maxLen)
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max - 3)}...` : s)
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/^#+\s*/, '')
    if (line === '' || FENCE.test(line) || /^-{3,}$/.test(line)) continue
    const clean = line.replace(/\*\*|__/g, '').trim()
    if (clean !== '') return cut(clean)
  }
  return text.slice(0, max)
}

/** Why a CLI agent process failed, as a short stable tag for logs and for `sanitizedAgentError`. */
export type SubprocessErrorCategory =
  | 'rate_limited'
  | 'auth_failed'
  | 'session_error'
  | `exit_${number}`
  | 'subprocess_error'

/**
 * Classifies a failed agent subprocess from its stderr (whole words only, so "sessionless" or
 * "generate" do not match) and exit code.
 */
export function classifySubprocessError(stderr: string, exitCode: number | null): SubprocessErrorCategory {
  const text = stderr.toLowerCase()
  if (/\b(rate|429|overloaded)\b/.test(text)) return 'rate_limited'
  if (/\b(auth|authentication|authorization|api[_-]?key)\b/.test(text)) return 'auth_failed'
  if (/\bsession\b|no conversation found/.test(text)) return 'session_error'
  if (exitCode !== null && exitCode !== 0) return `exit_${exitCode}`
  return 'subprocess_error'
}
