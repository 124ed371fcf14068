import { isMoleculeError, silentLogger } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineTool, inputJsonSchema, type ToolContext, ToolRegistry } from './registry.js'

const ctx = {
  workspaceId: 'w',
  logger: silentLogger,
  signal: new AbortController().signal,
} as ToolContext

const echo = defineTool({
  name: 'echo',
  description: 'echo',
  input: z.object({ text: z.string(), times: z.number().int().optional() }),
  async run(_ctx, input) {
    return input.text.repeat(input.times ?? 1)
  },
})

describe('ToolRegistry', () => {
  it('validates input and runs the tool', async () => {
    const registry = new ToolRegistry([echo])
    expect(await registry.call('echo', ctx, { text: 'ab', times: 2 })).toEqual({
      text: 'abab',
      isError: false,
    })
  })

  it('names the bad argument instead of throwing', async () => {
    const registry = new ToolRegistry([echo])
    const result = await registry.call('echo', ctx, { times: 'x' })
    expect(result.isError).toBe(true)
    expect(result.text).toMatch(/argument 'text'/)
    expect(result.text).toMatch(/argument 'times'/)
  })

  it('answers unknown tools with the upstream text', async () => {
    expect(await new ToolRegistry().call('nope', ctx, {})).toEqual({
      text: 'Unknown tool: nope',
      isError: true,
    })
  })

  it('turns a throwing tool into an error result', async () => {
    const boom = defineTool({
      name: 'boom',
      description: '',
      input: z.object({}),
      async run() {
        throw new Error('disk full')
      },
    })
    const result = await new ToolRegistry([boom]).call('boom', ctx, {})
    expect(result).toEqual({ text: 'Error: boom failed: disk full', isError: true })
  })

  it('rejects duplicate names and marks error-prefixed strings as errors', async () => {
    const registry = new ToolRegistry([echo])
    expect(() => registry.register(echo)).toThrow(/already registered/)
    expect(() => registry.register(echo)).toThrow(
      expect.objectContaining({ code: 'TOOL_NAME_TAKEN', path: 'echo' }),
    )
    let duplicate: unknown
    try {
      registry.register(echo)
    } catch (err) {
      duplicate = err
    }
    expect(isMoleculeError(duplicate)).toBe(true)
    const failing = defineTool({
      name: 'f',
      description: '',
      input: z.object({}),
      run: async () => 'Error: nope',
    })
    expect((await new ToolRegistry([failing]).call('f', ctx, undefined)).isError).toBe(true)
  })

  it('exposes an object JSON schema with required fields', () => {
    const schema = inputJsonSchema(echo)
    expect(schema.type).toBe('object')
    expect(schema.required).toEqual(['text'])
    expect(schema.$schema).toBeUndefined()
  })
})
