import { describe, expect, it } from 'vitest'
import { parseConfig } from './load-config.ts'
import { loadEnv } from './load-env.ts'

const env = loadEnv({}, { inDocker: false })

function syntaxMessage(text: string): string {
  try {
    parseConfig(text, { env })
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('expected a YAML syntax error')
}

describe('YAML syntax errors point at the line to change', () => {
  it.each([
    [
      'a key indented under a plain value',
      'name: a\nrole: b\n  model: m\ntier: 1\n',
      3,
      /indented further than line 2/,
    ],
    [
      'a key indented under a quoted key',
      'name: a\nrole: b\n"model": m\n  tier: 1\n',
      4,
      /indented further than line 3/,
    ],
    [
      'a key indented too far in a block',
      'name: a\na2a:\n  port: 1\n    streaming: true\n',
      4,
      /indented further/,
    ],
    [
      'an unclosed double quote',
      'name: a\nrole: "b\nmodel: x\n',
      2,
      /" that opens this value is never closed/,
    ],
    [
      'an unclosed single quote',
      "name: a\nrole: 'b\nmodel: x\n",
      2,
      /' that opens this value is never closed/,
    ],
    [
      'an unclosed [',
      'name: a\nskills: [one, two\nmodel: m\n',
      2,
      /\[ that opens this value is never closed/,
    ],
    ['an unclosed {', 'name: a\na2a: {port: 1\nmodel: m\n', 2, /\{ that opens this value is never closed/],
    ['a missing colon', 'name: a\nrole b\nmodel: x\n', 2, /Implicit keys need to be on a single line/],
    ['a key outdented in a block', 'a2a:\n  port: 8000\n streaming: true\n', 3, /same column/],
  ])('%s', (_what, text, line, hint) => {
    const message = syntaxMessage(text)
    expect(message).toMatch(new RegExp(`\\(line ${line}, column \\d+\\)`))
    expect(message).toMatch(hint)
  })
})
