import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Adapter, AdapterPreflightContext } from '../adapter.js'
import { AdapterLoadError } from './adapter-load-error.js'

/** One preflight finding about the adapter, in the shape `@molecule/config`'s preflight report takes. */
export interface AdapterCheckIssue {
  level: 'fail' | 'warn'
  /** Same as `level`, under the name older callers read. */
  severity: 'fail' | 'warn'
  title: string
  detail: string
  fix: string
}

/** A built-in adapter registered by the app: the adapter, its class, or a (lazy) factory for it. */
export type BuiltinAdapter = Adapter | (new () => Adapter) | (() => Adapter | Promise<Adapter>)

export interface LoadAdapterOptions {
  /** `ADAPTER_MODULE`: a package name or a file path (relative to `cwd`). Blank counts as unset. */
  adapterModule?: string | undefined
  /** config.yaml `runtime`, used to pick a built-in when `adapterModule` is unset. */
  runtime?: string | undefined
  builtins?: Readonly<Record<string, BuiltinAdapter>>
  /** Where package names and relative paths resolve from; default `process.cwd()`. */
  cwd?: string
}

export interface LoadedAdapter {
  adapter: Adapter
  /** `module:<specifier>` or `builtin:<name>`. */
  source: string
}

const FIX_MODULE =
  'Install the adapter package in the image and set ADAPTER_MODULE to its package name or file path (usually in the template Dockerfile), or set `runtime` in config.yaml to a built-in adapter.'

/** True for `class X {}` (instantiate), false for plain and arrow functions (call as factory). */
function isClass(fn: unknown): fn is new () => unknown {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn))
}

function isPathSpecifier(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:') || path.isAbsolute(spec)
}

function pickExport(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry
  if (Array.isArray(entry)) {
    for (const e of entry) {
      const found = pickExport(e)
      if (found) return found
    }
    return undefined
  }
  if (entry && typeof entry === 'object') {
    const conditions = entry as Record<string, unknown>
    for (const key of ['import', 'node', 'default']) {
      if (key in conditions) {
        const found = pickExport(conditions[key])
        if (found) return found
      }
    }
  }
  return undefined
}

/** Finds `<pkg>[/subpath]` under the node_modules directories above `cwd` (ESM `import` conditions). */
function resolvePackage(spec: string, cwd: string): string | undefined {
  const segments = spec.split('/')
  const nameLength = spec.startsWith('@') ? 2 : 1
  const name = segments.slice(0, nameLength).join('/')
  const subpath = segments.length > nameLength ? `./${segments.slice(nameLength).join('/')}` : '.'
  let dir = path.resolve(cwd)
  for (;;) {
    const pkgDir = path.join(dir, 'node_modules', name)
    const manifest = path.join(pkgDir, 'package.json')
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
        exports?: unknown
        main?: string
      }
      let target: string | undefined
      if (pkg.exports !== undefined) {
        const exp = pkg.exports
        const map =
          typeof exp === 'object' && exp !== null && !Array.isArray(exp) && '.' in exp
            ? (exp as Record<string, unknown>)
            : { '.': exp }
        target = pickExport(map[subpath])
      } else {
        target = subpath === '.' ? (pkg.main ?? 'index.js') : subpath
      }
      if (target) {
        const file = path.resolve(pkgDir, target)
        if (existsSync(file)) return file
      }
      return undefined
    }
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

function isNotFound(err: unknown, spec: string): boolean {
  const e = err as { code?: string; message?: string }
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    typeof e.message === 'string' &&
    e.message.includes(`'${spec}'`)
  )
}

async function importSpecifier(spec: string, cwd: string): Promise<Record<string, unknown>> {
  let url: string
  let shown = spec
  if (isPathSpecifier(spec)) {
    const file = spec.startsWith('file:') ? new URL(spec).pathname : path.resolve(cwd, spec)
    shown = file
    if (!existsSync(file) || statSync(file).isDirectory())
      throw new AdapterLoadError(
        'ADAPTER_MODULE_NOT_FOUND',
        `ADAPTER_MODULE "${spec}" does not name a file: ${file} is missing.`,
        FIX_MODULE,
      )
    url = pathToFileURL(file).href
  } else {
    let file: string | undefined
    try {
      file = resolvePackage(spec, cwd)
    } catch (err) {
      // An unreadable or malformed package.json on the way.
      throw new AdapterLoadError(
        'ADAPTER_IMPORT_FAILED',
        `Resolving ADAPTER_MODULE "${spec}" failed: ${err instanceof Error ? err.message : String(err)}`,
        "Check the adapter package's package.json (it must be valid JSON with an `exports` or `main` entry).",
        { cause: err },
      )
    }
    url = file ? pathToFileURL(file).href : spec
  }
  try {
    return (await import(url)) as Record<string, unknown>
  } catch (err) {
    if (isNotFound(err, url) || isNotFound(err, spec))
      throw new AdapterLoadError(
        'ADAPTER_MODULE_NOT_FOUND',
        `ADAPTER_MODULE "${spec}" could not be found from ${cwd} (is the package installed?).`,
        FIX_MODULE,
        { cause: err },
      )
    const kind = err instanceof Error ? err.constructor.name : typeof err
    const detail = err instanceof Error ? err.message : String(err)
    throw new AdapterLoadError(
      'ADAPTER_IMPORT_FAILED',
      `Importing ADAPTER_MODULE "${shown}" threw ${kind}: ${detail}`,
      'Fix the error in the adapter module (run `node -e "import(process.argv[1])" <module>` to reproduce).',
      { cause: err },
    )
  }
}

/**
 * Turns an `Adapter` export into an adapter instance. A class (any function) is instantiated with
 * no arguments; an object is used as is. Validates `name` and `createExecutor`.
 */
export function toAdapter(exported: unknown, where: string): Adapter {
  let candidate = exported
  if (typeof exported === 'function' && !isClass(exported))
    throw new AdapterLoadError(
      'ADAPTER_EXPORT_INVALID',
      `${where}: the Adapter export is a plain function, not an adapter object or class.`,
      'Export `Adapter` as an object (defineAdapter({...})) or a class with `name` and `createExecutor`.',
    )
  if (isClass(exported)) {
    try {
      candidate = new (exported as new () => unknown)()
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err)
      throw new AdapterLoadError(
        'ADAPTER_EXPORT_INVALID',
        `${where}: constructing the Adapter class threw: ${detail}`,
        'The Adapter class must be constructible with no arguments; do setup work in setup().',
        { cause: err },
      )
    }
  }
  if (candidate === null || typeof candidate !== 'object')
    throw new AdapterLoadError(
      'ADAPTER_EXPORT_INVALID',
      `${where}: the Adapter export is a ${candidate === null ? 'null' : typeof candidate}, not an adapter object or class.`,
      'Export `Adapter` as an object or class with `name` and `createExecutor` (see defineAdapter).',
    )
  let name: unknown
  try {
    name = (candidate as { name?: unknown }).name
  } catch (err) {
    throw new AdapterLoadError(
      'ADAPTER_EXPORT_INVALID',
      `${where}: reading Adapter.name threw: ${err instanceof Error ? err.message : String(err)}`,
      'Make `name` a plain, side-effect-free string.',
      { cause: err },
    )
  }
  if (typeof name !== 'string' || name.trim().length === 0)
    throw new AdapterLoadError(
      'ADAPTER_EXPORT_INVALID',
      `${where}: Adapter.name must be a non-empty string (got ${JSON.stringify(name) ?? typeof name}).`,
      'Set `name` to the runtime identifier, matching `runtime` in config.yaml.',
    )
  if (typeof (candidate as { createExecutor?: unknown }).createExecutor !== 'function')
    throw new AdapterLoadError(
      'ADAPTER_EXPORT_INVALID',
      `${where}: Adapter "${name}" has no createExecutor() method.`,
      'Implement createExecutor(config) returning an executor or an execute function.',
    )
  return candidate as Adapter
}

/**
 * Finds the adapter the way the runtime does: `ADAPTER_MODULE` first (a module exporting `Adapter`,
 * or a default export that is one), else the built-in named by `runtime`. Every failure is an
 * `AdapterLoadError` with a distinct `code`.
 */
export async function loadAdapter(options: LoadAdapterOptions): Promise<LoadedAdapter> {
  const spec = options.adapterModule?.trim()
  const cwd = options.cwd ?? process.cwd()
  const builtins = options.builtins ?? {}
  if (spec) {
    const mod = await importSpecifier(spec, cwd)
    const defaultExport = mod.default as Record<string, unknown> | undefined
    const exported =
      mod.Adapter ??
      (defaultExport && typeof defaultExport === 'object' ? defaultExport.Adapter : undefined) ??
      defaultExport
    if (exported === undefined)
      throw new AdapterLoadError(
        'ADAPTER_EXPORT_MISSING',
        `ADAPTER_MODULE "${spec}" loaded but exports no \`Adapter\`.`,
        'Add `export const Adapter = defineAdapter({...})` (or `export class Adapter`) to the module.',
      )
    return { adapter: toAdapter(exported, `ADAPTER_MODULE "${spec}"`), source: `module:${spec}` }
  }
  const runtime = options.runtime?.trim()
  const builtin = runtime ? builtins[runtime] : undefined
  if (builtin === undefined) {
    const names = Object.keys(builtins)
    throw new AdapterLoadError(
      'ADAPTER_NOT_CONFIGURED',
      `No adapter: ADAPTER_MODULE is unset and ${runtime ? `runtime "${runtime}" is not a built-in adapter` : 'config.yaml sets no `runtime`'}${names.length ? ` (built-ins: ${names.join(', ')})` : ''}.`,
      FIX_MODULE,
    )
  }
  const where = `built-in adapter "${runtime}"`
  let value: unknown = builtin
  if (typeof builtin === 'function' && !isClass(builtin)) {
    try {
      value = await (builtin as () => Adapter | Promise<Adapter>)()
    } catch (err) {
      // A factory that imports a separately installed package says itself what is missing.
      if (err instanceof AdapterLoadError) throw err
      throw new AdapterLoadError(
        'ADAPTER_IMPORT_FAILED',
        `${where}: its factory threw: ${err instanceof Error ? err.message : String(err)}`,
        'Report this as a runtime bug; built-in adapters must load.',
        { cause: err },
      )
    }
  }
  return { adapter: toAdapter(value, where), source: `builtin:${runtime}` }
}

/**
 * Preflight's "Runtime" check: loads the adapter and reports a failure per discovery error mode, or a
 * drift warning when the adapter's name differs from config `runtime` (the adapter wins). With `preflight` given,
 * the adapter's own `preflight` check runs too (credentials for the model, …) and its findings follow.
 * Resolves with no issues when everything matches. Plug it into @molecule/config:
 * `runPreflight(config, { configDir, checkAdapter: () => checkAdapterForPreflight({...}) })`.
 */
export async function checkAdapterForPreflight(
  options: LoadAdapterOptions & { preflight?: AdapterPreflightContext },
): Promise<AdapterCheckIssue[]> {
  let adapter: Adapter
  try {
    adapter = (await loadAdapter(options)).adapter
  } catch (err) {
    if (err instanceof AdapterLoadError)
      return [{ level: 'fail', severity: 'fail', title: 'Runtime', detail: err.message, fix: err.fix }]
    throw err
  }
  const issues: AdapterCheckIssue[] = []
  const runtime = options.runtime?.trim()
  if (runtime && adapter.name !== runtime)
    issues.push({
      level: 'warn',
      severity: 'warn',
      title: 'Runtime',
      detail: `config.yaml says runtime "${runtime}" but the adapter is "${adapter.name}"; the adapter wins.`,
      fix: `Set \`runtime: ${adapter.name}\` in config.yaml.`,
    })
  if (options.preflight && adapter.preflight) {
    for (const found of await adapter.preflight(options.preflight))
      issues.push({ ...found, severity: found.level })
  }
  return issues
}
