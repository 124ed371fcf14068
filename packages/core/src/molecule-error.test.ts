import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { describeError, isMoleculeError, MoleculeError } from './molecule-error.ts'

class ConfigProblem extends MoleculeError {}

describe('MoleculeError', () => {
  it('carries code, path, fix, details and cause', () => {
    const cause = new Error('root')
    const err = new MoleculeError('CONFIG_INVALID', 'a2a.port is wrong', {
      path: 'a2a.port',
      fix: 'Set a2a.port to 8000.',
      details: [1],
      cause,
    })
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('MoleculeError')
    expect(err.code).toBe('CONFIG_INVALID')
    expect(err.path).toBe('a2a.port')
    expect(err.fix).toBe('Set a2a.port to 8000.')
    expect(err.details).toEqual([1])
    expect(err.cause).toBe(cause)
    expect(err.message).toBe('a2a.port is wrong')
  })

  it('leaves optional fields absent when not given', () => {
    const err = new MoleculeError('X', 'm')
    expect(Object.keys(err)).not.toContain('path')
    expect(err.fix).toBeUndefined()
    expect(err.cause).toBeUndefined()
  })

  it('names a subclass after itself and keeps instanceof exact for subclasses', () => {
    const sub = new ConfigProblem('X', 'm')
    expect(sub.name).toBe('ConfigProblem')
    expect(sub).toBeInstanceOf(MoleculeError)
    expect(new MoleculeError('X', 'm')).not.toBeInstanceOf(ConfigProblem)
  })

  it('is recognised by its brand, never by name: a look-alike is not one', () => {
    const lookAlike = Object.assign(new Error('m'), { name: 'MoleculeError', code: 'X' })
    expect(isMoleculeError(lookAlike)).toBe(false)
    expect(lookAlike instanceof MoleculeError).toBe(false)
    for (const value of [new Error('m'), { code: 'X' }, null, undefined, 'MoleculeError', 1]) {
      expect(isMoleculeError(value)).toBe(false)
    }
  })
})

describe('a second copy of the module in the same process', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'molecule-error-copy-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('recognises the other copy’s errors both ways', async () => {
    const copy = path.join(dir, 'molecule-error.ts')
    copyFileSync(new URL('./molecule-error.ts', import.meta.url), copy)
    const other = (await import(pathToFileURL(copy).href)) as typeof import('./molecule-error.ts')
    expect(other.MoleculeError).not.toBe(MoleculeError)

    const foreign = new other.MoleculeError('FOREIGN', 'from the other copy')
    expect(isMoleculeError(foreign)).toBe(true)
    expect(foreign instanceof MoleculeError).toBe(true)
    const local = new ConfigProblem('LOCAL', 'from this copy')
    expect(other.isMoleculeError(local)).toBe(true)
    expect(local instanceof other.MoleculeError).toBe(true)
  })
})

describe('describeError', () => {
  it('prints a MoleculeError as its message and Fix line, without a stack', () => {
    const text = describeError(
      new MoleculeError('X', 'a2a.port must be a number', { fix: 'Set it to 8000.' }),
    )
    expect(text).toBe('a2a.port must be a number\n  Fix: Set it to 8000.')
  })

  it('does not repeat a fix the message already states', () => {
    const err = new MoleculeError('X', 'bad\n  Fix: do this', { fix: 'do this' })
    expect(describeError(err)).toBe('bad\n  Fix: do this')
  })

  it('shows the stack of an unexpected error only when verbose', () => {
    const err = new TypeError('boom')
    expect(describeError(err)).toBe('boom')
    expect(describeError(err, { verbose: true })).toContain('at ')
    expect(describeError('plain')).toBe('plain')
  })
})
