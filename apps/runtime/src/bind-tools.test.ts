import { silentLogger } from '@molecule/core'
import { PlatformClient } from '@molecule/platform-client'
import { defineTool, type ToolContext } from '@molecule/tools'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { bindTools } from './bind-tools.js'

const base: ToolContext = {
  workspaceId: 'ws-base',
  platform: new PlatformClient({ platformUrl: 'http://127.0.0.1:9', workspaceId: 'ws-base' }),
  logger: silentLogger,
  signal: new AbortController().signal,
  roles: ['operator'],
}

const whoami = defineTool({
  name: 'whoami',
  description: 'reports the context it ran with',
  input: z.object({ greeting: z.string() }),
  run: async (ctx, input) =>
    `${input.greeting} from ${ctx.workspaceId} as ${ctx.roles?.join(',')} aborted=${ctx.signal.aborted}`,
})

describe('bindTools', () => {
  it('completes a partial context with the workspace defaults', async () => {
    const [tool] = bindTools([whoami], base)
    const aborted = new AbortController()
    aborted.abort()
    expect(await tool?.run({ signal: aborted.signal } as ToolContext, { greeting: 'hi' })).toBe(
      'hi from ws-base as operator aborted=true',
    )
    expect(await tool?.run(undefined as unknown as ToolContext, { greeting: 'yo' })).toBe(
      'yo from ws-base as operator aborted=false',
    )
  })

  it('validates input with the tool schema and answers with an error instead of throwing', async () => {
    const [tool] = bindTools([whoami], base)
    const result = await tool?.run({} as ToolContext, { greeting: 42 })
    expect(result).toMatchObject({ isError: true })
    expect((result as { text: string }).text).toContain("invalid arguments for whoami: argument 'greeting'")
  })
})
