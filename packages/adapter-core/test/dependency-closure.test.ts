import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

/** Walks installed production dependencies (dependencies + optionalDependencies) from a package dir. */
function prodClosure(start: string): Set<string> {
  const seen = new Set<string>()
  const visited = new Set<string>()
  const stack = [start]
  while (stack.length > 0) {
    const dir = stack.pop() as string
    if (visited.has(dir)) continue
    visited.add(dir)
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      seen.add(dep)
      let cur = dir
      for (;;) {
        const candidate = path.join(cur, 'node_modules', dep)
        if (existsSync(path.join(candidate, 'package.json'))) {
          stack.push(realpathSync(candidate))
          break
        }
        const parent = path.dirname(cur)
        if (parent === cur) break
        cur = parent
      }
    }
  }
  return seen
}

describe('@molecule/adapter-core dependency closure', () => {
  it('is zod and nothing else (every template installs this package)', () => {
    const closure = prodClosure(path.resolve(import.meta.dirname, '..'))
    expect([...closure]).toEqual(['zod'])
  })

  it('ships no import of another package but zod in its built code and types', () => {
    const dist = path.resolve(import.meta.dirname, '../dist')
    const files = readdirSync(dist).filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))
    expect(files).toEqual(expect.arrayContaining(['index.js', 'a2a.js', 'runtime.js', 'runtime.d.ts']))
    for (const file of files) {
      const code = readFileSync(path.join(dist, file), 'utf8')
      const bare = [...code.matchAll(/(?:from\s*|import\()\s*['"]([^'"./][^'"]*)['"]/g)].map(
        (m) => m[1] as string,
      )
      expect(
        bare.filter((spec) => spec !== 'zod' && !isBuiltin(spec)),
        file,
      ).toEqual([])
    }
  })
})
