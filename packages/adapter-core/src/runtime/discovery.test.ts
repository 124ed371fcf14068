import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { isMoleculeError, loadEnv, parseConfig, runPreflight } from '@molecule/config'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineAdapter } from '../adapter.js'
import { AdapterLoadError } from './adapter-load-error.js'
import { checkAdapterForPreflight, loadAdapter } from './discovery.js'

let dir: string

function write(rel: string, body: string) {
  const file = path.join(dir, rel)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, body)
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'adapter-discovery-'))
  write('object.mjs', `export const Adapter = { name: 'echo', createExecutor: () => async () => 'hi' }`)
  write(
    'klass.mjs',
    `export class Adapter { name = 'klass'; createExecutor() { return { execute: async () => 'k' } } }`,
  )
  write('default.mjs', `export default { name: 'dflt', createExecutor: () => async () => 'd' }`)
  write('throws.mjs', `throw new RangeError('boom at import')`)
  write('nested-missing.mjs', `import 'definitely-not-installed-pkg-xyz'\nexport const Adapter = {}`)
  write('noexport.mjs', `export const Something = 1`)
  write('noname.mjs', `export const Adapter = { name: 42, createExecutor() {} }`)
  write('noexec.mjs', `export const Adapter = { name: 'x' }`)
  write('arrow.mjs', `export const Adapter = () => ({ name: 'x' })`)
  write('ctor-throws.mjs', `export class Adapter { constructor() { throw new Error('nope') } }`)
  write(
    'node_modules/@acme/adapter-pkg/package.json',
    JSON.stringify({
      name: '@acme/adapter-pkg',
      type: 'module',
      exports: { '.': { import: './dist/index.js' } },
    }),
  )
  write('node_modules/broken-pkg/package.json', '{ not json')
  write(
    'node_modules/@acme/adapter-pkg/dist/index.js',
    `export const Adapter = { name: 'acme', createExecutor: () => async () => 'a' }`,
  )
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'ok'
  } catch (err) {
    expect(err).toBeInstanceOf(AdapterLoadError)
    return (err as AdapterLoadError).code
  }
}

describe('loadAdapter', () => {
  it('loads object, class and default exports from paths, and packages from node_modules', async () => {
    expect((await loadAdapter({ adapterModule: './object.mjs', cwd: dir })).adapter.name).toBe('echo')
    expect((await loadAdapter({ adapterModule: path.join(dir, 'klass.mjs') })).adapter.name).toBe('klass')
    expect((await loadAdapter({ adapterModule: './default.mjs', cwd: dir })).adapter.name).toBe('dflt')
    const pkg = await loadAdapter({ adapterModule: '@acme/adapter-pkg', cwd: dir })
    expect(pkg).toMatchObject({ source: 'module:@acme/adapter-pkg', adapter: { name: 'acme' } })
  })

  it('falls back to the built-in named by runtime (object, class or factory)', async () => {
    const echo = defineAdapter({ name: 'echo', createExecutor: () => async () => 'e' })
    class Cli {
      name = 'cli'
      createExecutor() {
        return async () => 'c'
      }
    }
    const builtins = { echo, cli: Cli, lazy: () => ({ ...echo, name: 'lazy' }) }
    expect((await loadAdapter({ runtime: 'echo', builtins, adapterModule: '  ' })).source).toBe(
      'builtin:echo',
    )
    expect((await loadAdapter({ runtime: 'cli', builtins })).adapter.name).toBe('cli')
    expect((await loadAdapter({ runtime: 'lazy', builtins })).adapter.name).toBe('lazy')
  })

  it('gives a distinct code for each failure mode', async () => {
    const load = (adapterModule: string) => codeOf(loadAdapter({ adapterModule, cwd: dir }))
    expect(await codeOf(loadAdapter({ runtime: 'nope', builtins: {} }))).toBe('ADAPTER_NOT_CONFIGURED')
    expect(await load('./missing.mjs')).toBe('ADAPTER_MODULE_NOT_FOUND')
    expect(await load('not-a-real-package-abc')).toBe('ADAPTER_MODULE_NOT_FOUND')
    expect(await load('./throws.mjs')).toBe('ADAPTER_IMPORT_FAILED')
    expect(await load('broken-pkg')).toBe('ADAPTER_IMPORT_FAILED')
    expect(await load('./nested-missing.mjs')).toBe('ADAPTER_IMPORT_FAILED')
    expect(await load('./noexport.mjs')).toBe('ADAPTER_EXPORT_MISSING')
    expect(await load('./noname.mjs')).toBe('ADAPTER_EXPORT_INVALID')
    expect(await load('./noexec.mjs')).toBe('ADAPTER_EXPORT_INVALID')
    expect(await load('./arrow.mjs')).toBe('ADAPTER_EXPORT_INVALID')
    expect(await load('./ctor-throws.mjs')).toBe('ADAPTER_EXPORT_INVALID')
  })

  it('errors are MoleculeErrors naming ADAPTER_MODULE with a fix', async () => {
    const err = await loadAdapter({ adapterModule: './missing.mjs', cwd: dir }).catch((e: unknown) => e)
    expect(isMoleculeError(err)).toBe(true)
    expect(err).toMatchObject({ code: 'ADAPTER_MODULE_NOT_FOUND', path: 'ADAPTER_MODULE' })
    expect((err as AdapterLoadError).fix).toMatch(/ADAPTER_MODULE/)
  })

  it('import failures name the error class and message', async () => {
    await expect(loadAdapter({ adapterModule: './throws.mjs', cwd: dir })).rejects.toThrow(
      /RangeError: boom at import/,
    )
  })
})

describe('checkAdapterForPreflight', () => {
  it('passes clean, warns on drift, fails per discovery error', async () => {
    expect(
      await checkAdapterForPreflight({ adapterModule: './object.mjs', runtime: 'echo', cwd: dir }),
    ).toEqual([])
    const [drift] = await checkAdapterForPreflight({
      adapterModule: './object.mjs',
      runtime: 'claude-code',
      cwd: dir,
    })
    expect(drift).toMatchObject({ severity: 'warn', title: 'Runtime' })
    expect(drift?.fix).toContain('runtime: echo')
    const [fail] = await checkAdapterForPreflight({ adapterModule: './noname.mjs', cwd: dir })
    expect(fail).toMatchObject({ severity: 'fail', title: 'Runtime' })
    expect(fail?.detail).toContain('non-empty string')
    expect(fail?.fix.length).toBeGreaterThan(0)
  })

  it('plugs into @molecule/config runPreflight as checkAdapter', async () => {
    const env = loadEnv({ ADAPTER_MODULE: './object.mjs' }, { inDocker: false })
    const { config } = parseConfig('name: t\nruntime: claude-code\n', { env, configDir: dir })
    const report = await runPreflight(config, {
      configDir: dir,
      env,
      checkAdapter: () =>
        checkAdapterForPreflight({ adapterModule: './object.mjs', runtime: config.runtime, cwd: dir }),
    })
    const runtime = report.issues.filter((i) => i.title === 'Runtime')
    expect(runtime).toEqual([expect.objectContaining({ level: 'warn', severity: 'warn' })])
  })

  it("runs the adapter's own preflight with the model and environment, after the drift check", async () => {
    const keyed = defineAdapter({
      name: 'keyed',
      createExecutor: () => async () => 'k',
      preflight: ({ model, env }) =>
        env.KEYED_API_KEY
          ? []
          : [{ level: 'fail', title: 'Model', detail: `${model} needs KEYED_API_KEY.`, fix: 'Set it.' }],
    })
    const query = { runtime: 'other', builtins: { other: keyed } }
    const context = { model: 'keyed:m1', runtimeConfig: {}, env: {} }
    const issues = await checkAdapterForPreflight({ ...query, preflight: context })
    expect(issues.map((i) => [i.severity, i.title])).toEqual([
      ['warn', 'Runtime'],
      ['fail', 'Model'],
    ])
    expect(issues[1]?.detail).toBe('keyed:m1 needs KEYED_API_KEY.')
    const withKey = { ...context, env: { KEYED_API_KEY: 'k' } }
    expect(await checkAdapterForPreflight({ ...query, preflight: withKey })).toHaveLength(1)
    // Without a context (callers that only check discovery) the adapter's check is not run.
    expect(await checkAdapterForPreflight(query)).toHaveLength(1)
  })

  it("a built-in factory's AdapterLoadError (a package that is not installed) is reported as is", async () => {
    const missing = new AdapterLoadError('ADAPTER_PACKAGE_MISSING', 'needs @acme/x', 'npm install @acme/x')
    const builtins = {
      acme: () => {
        throw missing
      },
    }
    await expect(loadAdapter({ runtime: 'acme', builtins })).rejects.toBe(missing)
    const [fail] = await checkAdapterForPreflight({ runtime: 'acme', builtins })
    expect(fail).toMatchObject({ level: 'fail', detail: 'needs @acme/x', fix: 'npm install @acme/x' })
  })
})
