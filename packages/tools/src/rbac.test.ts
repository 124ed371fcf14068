import { silentLogger } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { withPermission } from './platform-tools.js'
import { checkPermission, permissionDeniedText } from './rbac.js'
import { defineTool, type ToolContext } from './registry.js'

describe('checkPermission', () => {
  it('follows the built-in role table', () => {
    expect(checkPermission('delegate', ['operator'])).toBe(true)
    expect(checkPermission('memory.write', ['read-only'])).toBe(false)
    expect(checkPermission('delegate', ['no-delegation'])).toBe(false)
    expect(checkPermission('approve', ['no-approval'])).toBe(false)
    expect(checkPermission('anything.at.all', ['admin'])).toBe(true)
    expect(checkPermission('memory.read', [])).toBe(false)
    expect(checkPermission('memory.read', ['ghost'])).toBe(false)
  })

  it('uses only the custom list for a role defined in config', () => {
    expect(checkPermission('delegate', ['operator'], { operator: ['memory.read'] })).toBe(false)
    expect(checkPermission('memory.read', ['operator'], { operator: ['memory.read'] })).toBe(true)
  })
})

describe('withPermission', () => {
  const gated = withPermission(
    defineTool({ name: 'commit_memory', description: '', input: z.object({}), run: async () => 'ran' }),
  )
  const base = { workspaceId: 'w', logger: silentLogger, signal: new AbortController().signal }

  it('blocks a denied role with the upstream text', async () => {
    const result = await gated.run({ ...base, roles: ['read-only'] } as ToolContext, {})
    expect(result).toEqual({ text: permissionDeniedText('memory.write', ['read-only']), isError: true })
    expect(permissionDeniedText('memory.write', ['read-only'])).toBe(
      "PERMISSION DENIED: RBAC: action 'memory.write' denied for roles ['read-only']",
    )
  })

  it('lets the default operator role through', async () => {
    expect(await gated.run(base as ToolContext, {})).toBe('ran')
  })
})
