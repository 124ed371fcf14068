// Rules over the source files themselves, used by check-deps: no import cycle between the modules of a package and no
// non-test source file longer than MAX_SOURCE_LINES.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

const SOURCE = /\.(?:ts|tsx|mts|mjs|js)$/
const TEST = /\.test\.(?:ts|tsx|mts|mjs|js)$/

/** Every non-test source file under `dir` (skipping dist and node_modules). */
export function sourceFiles(dir) {
  const out = []
  if (!existsSync(dir)) return out
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full))
    else if (SOURCE.test(name) && !TEST.test(name) && !name.endsWith('.d.ts')) out.push(full)
  }
  return out
}

// `import … from './x.js'`, `export … from './x.js'`, `import './x.js'`; `import type` and `export type` are erased
// at build time and cannot form a load-time cycle, but they still count: a type cycle is a design cycle too.
const RELATIVE_IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g

/** The module files `file` imports by relative path, resolved to existing files. */
function relativeImports(file) {
  const text = readFileSync(file, 'utf8')
  const out = []
  for (const match of text.matchAll(RELATIVE_IMPORT)) {
    const spec = match[1]
    const base = path.resolve(path.dirname(file), spec)
    const candidates = [
      base,
      base.replace(/\.js$/, '.ts'),
      base.replace(/\.js$/, '.tsx'),
      `${base}.ts`,
      path.join(base, 'index.ts'),
    ]
    const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile())
    if (hit) out.push(hit)
  }
  return out
}

/** Import cycles among `files`, each as the list of files around the loop (relative to `root`). */
export function importCycles(files, root) {
  const known = new Set(files.map((f) => path.resolve(f)))
  const graph = new Map([...known].map((f) => [f, relativeImports(f).filter((t) => known.has(t))]))
  const cycles = []
  const state = new Map()
  const stack = []
  const visit = (file) => {
    state.set(file, 'open')
    stack.push(file)
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const loop = stack.slice(stack.indexOf(next)).concat(next)
        cycles.push(loop.map((f) => path.relative(root, f)))
      } else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of known) if (!state.has(file)) visit(file)
  return cycles
}

/** Non-test source files longer than `max` lines, with their length. */
export function oversizedFiles(files, max, root) {
  const out = []
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n').length
    if (lines > max)
      out.push(`${path.relative(root, file)} has ${lines} lines (at most ${max}; split it by concept)`)
  }
  return out
}
