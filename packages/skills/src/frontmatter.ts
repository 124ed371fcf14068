import { parse, YAMLParseError } from 'yaml'

/** SKILL.md split into its YAML frontmatter and its body (the instructions). */
export interface ParsedSkillMd {
  /** The frontmatter map; empty when there is none or it could not be read. */
  metadata: Record<string, unknown>
  /** Everything after the frontmatter, trimmed (the whole file when there is no frontmatter). */
  body: string
  /** False when the file does not start with a `---` line closed by a second one. */
  hasFrontmatter: boolean
  /** Why the frontmatter could not be read, with its line in SKILL.md. */
  error?: string
  /** The YAML only parsed after quoting values with unquoted colons (`description: Use when: …`). */
  quotedColons?: boolean
}

const DELIMITER = /^---\s*$/

/** `key: value` where the value is plain (not quoted, not a flow or block collection) and holds another `: `. */
const UNQUOTED_COLON = /^(\s*(?:- )?[A-Za-z0-9_.-]+:[ \t]+)([^'"[{|>&*!#\s][^\n]*?:(?:[ \t][^\n]*)?)\s*$/

/** Quotes the plain values that hold a `: `, as agent-skills clients do before a second parse. */
export function quoteUnquotedColons(yamlText: string): string {
  return yamlText
    .split('\n')
    .map((line) => {
      const match = UNQUOTED_COLON.exec(line)
      if (!match?.[1] || !match[2]) return line
      return `${match[1]}${JSON.stringify(match[2].trim())}`
    })
    .join('\n')
}

function yamlMap(text: string): Record<string, unknown> {
  const parsed: unknown = parse(text)
  if (parsed === null || parsed === undefined) return {}
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TypeError('it is not a map of keys (name: …, description: …)')
  }
  return parsed as Record<string, unknown>
}

/** The YAML error's first line, its position moved from the frontmatter to SKILL.md (the `---` line is line 1). */
function yamlProblem(err: unknown): string {
  if (err instanceof YAMLParseError) {
    const reason = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? err.code
    const line = err.linePos?.[0]?.line
    return line === undefined ? reason : `line ${line + 1}: ${reason}`
  }
  return err instanceof Error ? err.message : String(err)
}

/**
 * Splits a SKILL.md: a leading `---` line and the next `---` line delimit YAML frontmatter, the rest is the body.
 * Without both delimiters the whole file is the body. YAML that does not parse is tried once more with the values
 * that hold an unquoted `: ` quoted; if that fails too, `error` says why and `metadata` is empty.
 */
export function parseSkillMd(text: string): ParsedSkillMd {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const end = DELIMITER.test(lines[0] ?? '') ? lines.findIndex((l, i) => i > 0 && DELIMITER.test(l)) : -1
  if (end < 0) return { metadata: {}, body: text.trim(), hasFrontmatter: false }
  const yamlText = lines.slice(1, end).join('\n')
  const body = lines
    .slice(end + 1)
    .join('\n')
    .trim()
  try {
    return { metadata: yamlMap(yamlText), body, hasFrontmatter: true }
  } catch (first) {
    const quoted = quoteUnquotedColons(yamlText)
    if (quoted !== yamlText) {
      try {
        return { metadata: yamlMap(quoted), body, hasFrontmatter: true, quotedColons: true }
      } catch {
        // Report the error of the text as written: that is the one the author can find.
      }
    }
    return { metadata: {}, body, hasFrontmatter: true, error: yamlProblem(first) }
  }
}
