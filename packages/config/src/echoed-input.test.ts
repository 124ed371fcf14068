import { isMoleculeError } from '@molecule/core'
import { leakedPiece, workspaceTokens } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { parseConfig } from './load-config.ts'

function failureOf(text: string): string {
  try {
    parseConfig(text)
  } catch (err) {
    if (isMoleculeError(err)) return `${err.message}\n${JSON.stringify(err.details ?? null)}`
    throw err
  }
  throw new Error('expected config.yaml to be refused')
}

describe('config.yaml errors that show the offending value', () => {
  const [token] = workspaceTokens(1, 5) as [string]

  it('mask a token pasted into a field of the wrong type', () => {
    for (const text of [
      `a2a:\n  port: ${token}\n`,
      `name: Researcher\ntier: "${token}"\n`,
      `a2a:\n  port: "connect with Bearer ${token} please"\n`,
      `skills: ${token}\n`,
    ]) {
      const shown = failureOf(text)
      expect(shown).toContain('[REDACTED]')
      expect(leakedPiece(shown, token)).toBeUndefined()
    }
  })
})
