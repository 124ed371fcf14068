import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadAdapter } from '@molecule/adapter-core/runtime'
import { isMoleculeError } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { ADAPTER_PACKAGES, loadAdapterPackage } from './adapter-packages.js'
import { builtinAdapters } from './index.js'

const notFound = (specifier: string) =>
  Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/dist/cli.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  })

describe('adapters that ship as packages', () => {
  it('runtime langgraph is the package @molecule/adapter-langgraph, loaded when chosen', async () => {
    expect(ADAPTER_PACKAGES.langgraph).toBe('@molecule/adapter-langgraph')
    const { adapter, source } = await loadAdapter({ runtime: 'langgraph', builtins: builtinAdapters })
    expect(adapter.name).toBe('langgraph')
    expect(source).toBe('builtin:langgraph')
  })

  it('a package that is not installed is an error naming it and the install command', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'adapter-packages-'))
    const err = await loadAdapterPackage('langgraph', '@molecule/adapter-nowhere', {
      importer: async (specifier) => {
        throw notFound(specifier)
      },
      cwd,
    }).catch((e: unknown) => e)
    expect(isMoleculeError(err)).toBe(true)
    expect(err).toMatchObject({ code: 'ADAPTER_PACKAGE_MISSING', path: 'ADAPTER_MODULE' })
    expect((err as Error).message).toBe(
      'runtime "langgraph" (config.yaml `runtime`, or the default when it sets none) needs the package @molecule/adapter-nowhere, which is not installed.',
    )
    expect((err as { fix: string }).fix).toContain('npm install @molecule/adapter-nowhere')
  })

  it("falls back to the working directory's node_modules (an image that installed it beside the app)", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'adapter-packages-'))
    const dir = join(cwd, 'node_modules', '@acme', 'agent')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: '@acme/agent', type: 'module', main: 'index.js' }),
    )
    writeFileSync(
      join(dir, 'index.js'),
      "export class Adapter { name = 'acme'; createExecutor() { return async () => 'hi' } }",
    )
    const adapter = await loadAdapterPackage('acme', '@acme/agent', {
      importer: async (specifier) => {
        throw notFound(specifier)
      },
      cwd,
    })
    expect(adapter.name).toBe('acme')
  })

  it('a package that throws while importing is reported as such, not as missing', async () => {
    const err = await loadAdapterPackage('langgraph', '@molecule/adapter-broken', {
      importer: async () => {
        throw new SyntaxError('Unexpected token')
      },
    }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'ADAPTER_IMPORT_FAILED' })
    expect((err as Error).message).toContain('Unexpected token')
  })
})
