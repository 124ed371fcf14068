import { existsSync, readFileSync, realpathSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const FORBIDDEN = ['hono', '@hono/node-server', 'chokidar']

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
  it('contains no hono and no chokidar (templates import this package)', () => {
    const closure = prodClosure(path.resolve(import.meta.dirname, '..'))
    expect(closure.has('zod')).toBe(true)
    expect(FORBIDDEN.filter((name) => closure.has(name))).toEqual([])
  })
})
