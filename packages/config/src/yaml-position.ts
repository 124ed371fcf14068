import { type Document, isNode, visit, type YAMLError } from 'yaml'

/** Where a YAML syntax error really is (1-based), and a hint when the parser's own position is misleading. */
export interface YamlErrorPosition {
  line: number
  col: number
  /** One sentence saying what is wrong at that line, when the parser's message would point elsewhere. */
  hint?: string
}

const QUOTES = new Set(['"', "'"])
const BRACKETS: Record<string, string> = { '[': ']', '{': '}' }

function lineAndCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, offset))
  const line = before.split('\n').length
  return { line, col: offset - (before.lastIndexOf('\n') + 1) + 1 }
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length
}

/** The start offset of the innermost node containing `offset` whose text starts with one of `openers`. */
function openerBefore(doc: Document, text: string, offset: number, openers: (c: string) => boolean) {
  let found: number | undefined
  visit(doc, (_key, node) => {
    if (!isNode(node) || !node.range) return
    const [start, , end] = node.range
    if (start <= offset && offset <= end && openers(text[start] ?? '')) {
      if (found === undefined || start > found) found = start
    }
  })
  return found
}

/**
 * The yaml parser reports some mistakes where it noticed them rather than where they are: a line indented too far
 * is reported on the line above it ("nested mappings are not allowed in compact mappings"), an unclosed quote or
 * bracket at the end of the file or on the next line. This points at the line the user has to change.
 */
export function locateYamlError(text: string, error: YAMLError, doc: Document): YamlErrorPosition {
  const reported = error.linePos?.[0] ?? lineAndCol(text, error.pos[0])
  const lines = text.split('\n')
  if (error.code === 'BLOCK_AS_IMPLICIT_KEY' && /nested mappings/i.test(error.message)) {
    const parentIndent = indentOf(lines[reported.line - 1] ?? '')
    for (let i = reported.line; i < lines.length; i++) {
      const line = lines[i] ?? ''
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue
      if (indentOf(line) <= parentIndent) break
      return {
        line: i + 1,
        col: indentOf(line) + 1,
        hint: `this line is indented further than line ${reported.line} above it, so YAML reads it as part of that line's value; indent it like its sibling keys, or quote the value on line ${reported.line}`,
      }
    }
  }
  if (error.code === 'MISSING_CHAR' && /quote/i.test(error.message)) {
    const start = openerBefore(doc, text, error.pos[0], (c) => QUOTES.has(c))
    if (start !== undefined) {
      const quote = text[start] ?? '"'
      return {
        ...lineAndCol(text, start),
        hint: `the ${quote} that opens this value is never closed; add the closing ${quote}`,
      }
    }
  }
  if (/^Flow (sequence|map)/.test(error.message) || /Missing closing [\]}]/.test(error.message)) {
    const start = openerBefore(doc, text, error.pos[0], (c) => c in BRACKETS)
    if (start !== undefined) {
      const open = text[start] ?? '['
      return {
        ...lineAndCol(text, start),
        hint: `the ${open} that opens this value is never closed; add the closing ${BRACKETS[open]} on this line`,
      }
    }
  }
  return { line: reported.line, col: reported.col }
}
