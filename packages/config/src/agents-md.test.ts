import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isMoleculeError } from '@molecule/core'
import { afterEach, describe, expect, it } from 'vitest'
import { generateAgentsMd } from './agents-md.ts'
import { loadEnv } from './load-env.ts'
import { makeConfigDir } from './test-dirs.ts'

const env = loadEnv({}, { inDocker: false })
const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function setup(yaml: string) {
  const config = makeConfigDir({ 'config.yaml': yaml })
  const out = makeConfigDir()
  cleanups.push(config.cleanup, out.cleanup)
  return { configDir: config.dir, output: join(out.dir, 'AGENTS.md'), outDir: out.dir }
}

async function generate(yaml: string, options = { env }) {
  const { configDir, output } = setup(yaml)
  await generateAgentsMd(configDir, output, options)
  return readFileSync(output, 'utf8')
}

describe('generateAgentsMd', () => {
  it('writes the heading, role, description, endpoint and tools sections', async () => {
    const text = await generate(
      'name: Research Lead\nrole: Coordinator\ndescription: Plans research.\ntools: [delegate_task]\nplugins: [web-search]\n',
    )
    const lines = text.split('\n')
    expect(lines[0]).toBe('# Research Lead')
    expect(lines.length).toBeGreaterThanOrEqual(3)
    expect(text).toContain('**Role:** Coordinator')
    expect(text).toContain('## Description\n\nPlans research.')
    expect(text).toContain('## A2A Endpoint\n\nhttp://localhost:8000/a2a')
    expect(text).toContain('## MCP Tools\n\n- delegate_task\n- web-search\n')
    expect(text.match(/^## /gm)?.length).toBe(3)
  })

  it('says None when there are no tools or plugins', async () => {
    expect(await generate('name: Solo\n')).toContain('## MCP Tools\n\nNone\n')
  })

  it('uses a custom a2a.port in the default endpoint', async () => {
    expect(await generate('a2a: {port: 9123}\n')).toContain('http://localhost:9123/a2a')
  })

  it('AGENT_URL overrides the endpoint', async () => {
    const text = await generate('a2a: {port: 9123}\n', {
      env: loadEnv({ AGENT_URL: 'http://ws-7:8000/a2a' }, { inDocker: false }),
    })
    expect(text).toContain('## A2A Endpoint\n\nhttp://ws-7:8000/a2a')
    expect(text).not.toContain('9123')
  })

  it('role falls back to the description', async () => {
    expect(await generate('description: Writes docs.\n')).toContain('**Role:** Writes docs.')
  })

  it('keeps Markdown-special characters in the name and stays a single heading line', async () => {
    const text = await generate('name: "*Bold* # [Agent] `x` <b>"\n')
    expect(text.split('\n')[0]).toBe('# *Bold* # [Agent] `x` <b>')
    const multi = await generate('name: "Line one\\nLine two"\n')
    expect(multi.split('\n')[0]).toBe('# Line one Line two')
  })

  it('overwrites on regeneration after a config change', async () => {
    const { configDir, output } = setup('name: First\n')
    await generateAgentsMd(configDir, output, { env })
    writeFileSync(join(configDir, 'config.yaml'), 'name: Second\ntools: [memory]\n')
    await generateAgentsMd(configDir, output, { env })
    const text = readFileSync(output, 'utf8')
    expect(text.startsWith('# Second\n')).toBe(true)
    expect(text).not.toContain('First')
    expect(text).toContain('- memory')
  })

  it('leaves no temp files behind and creates a missing parent directory', async () => {
    const { configDir, outDir } = setup('name: X\n')
    const output = join(outDir, 'nested', 'AGENTS.md')
    await generateAgentsMd(configDir, output, { env })
    expect(readdirSync(join(outDir, 'nested'))).toEqual(['AGENTS.md'])
  })

  it('an unwritable target is AGENTS_MD_WRITE_FAILED naming the path', async () => {
    const { configDir, outDir } = setup('name: X\n')
    writeFileSync(join(outDir, 'file'), 'not a dir')
    const output = join(outDir, 'file', 'AGENTS.md')
    const err = await generateAgentsMd(configDir, output, { env }).catch((e: unknown) => e)
    expect(isMoleculeError(err) && err.code).toBe('AGENTS_MD_WRITE_FAILED')
    expect(isMoleculeError(err) && err.path).toBe(output)
  })

  it('config errors propagate as MoleculeError', async () => {
    const { configDir, output } = setup('tier: gold\n')
    const err = await generateAgentsMd(configDir, output, { env }).catch((e: unknown) => e)
    expect(isMoleculeError(err) && err.code).toBe('CONFIG_INVALID')
  })
})
