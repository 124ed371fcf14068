import { describe, expect, it } from 'vitest'
import { createPlatformTools } from './platform-tools.js'
import { inputJsonSchema } from './registry.js'

// The tool names, argument names and enums that agents, prompts and docs written for the upstream MCP bridge depend
// on. Ours may add optional selectors (update_agent_card.workspace_id), never rename, drop an argument, or change
// what is required.
const CONTRACT: Record<
  string,
  { properties: string[]; required: string[]; enums?: Record<string, string[]> }
> = {
  delegate_task: {
    properties: ['workspace_id', 'task', 'source_workspace_id'],
    required: ['workspace_id', 'task'],
  },
  delegate_task_async: {
    properties: ['workspace_id', 'task', 'source_workspace_id'],
    required: ['workspace_id', 'task'],
  },
  check_task_status: {
    properties: ['workspace_id', 'task_id', 'source_workspace_id'],
    required: ['workspace_id', 'task_id'],
  },
  list_peers: { properties: ['source_workspace_id'], required: [] },
  get_workspace_info: { properties: ['source_workspace_id'], required: [] },
  get_runtime_identity: { properties: [], required: [] },
  update_agent_card: { properties: ['card', 'workspace_id'], required: ['card'] },
  broadcast_message: { properties: ['message', 'workspace_id'], required: ['message'] },
  send_message_to_user: { properties: ['message', 'attachments', 'workspace_id'], required: ['message'] },
  chat_history: {
    properties: ['peer_id', 'limit', 'before_ts', 'source_workspace_id'],
    required: ['peer_id'],
  },
  commit_memory: {
    properties: ['content', 'scope', 'source_workspace_id'],
    required: ['content'],
    enums: { scope: ['LOCAL', 'TEAM', 'GLOBAL'] },
  },
  recall_memory: {
    properties: ['query', 'scope', 'source_workspace_id'],
    required: [],
    enums: { scope: ['LOCAL', 'TEAM', 'GLOBAL', ''] },
  },
  request_approval: { properties: ['action', 'reason'], required: ['action', 'reason'] },
  // Ours: picks up the decision of a request that answered pending (an MCP call cannot wait out a human).
  check_approval: { properties: ['approval_id', 'wait_secs'], required: ['approval_id'] },
}

describe('tool contract (the upstream MCP bridge tool names and arguments)', () => {
  const tools = createPlatformTools({ env: {} })

  it('exposes exactly the upstream tool names, in order', () => {
    expect(tools.map((t) => t.name)).toEqual(Object.keys(CONTRACT))
  })

  for (const [name, contract] of Object.entries(CONTRACT)) {
    it(`${name}: argument names, required list and enums`, () => {
      const tool = tools.find((t) => t.name === name)
      if (!tool) throw new Error(`missing ${name}`)
      const schema = inputJsonSchema(tool) as {
        type: string
        properties?: Record<string, { enum?: string[] }>
        required?: string[]
      }
      expect(schema.type).toBe('object')
      expect(Object.keys(schema.properties ?? {})).toEqual(contract.properties)
      expect(schema.required ?? []).toEqual(contract.required)
      for (const [arg, values] of Object.entries(contract.enums ?? {})) {
        expect(schema.properties?.[arg]?.enum).toEqual(values)
      }
    })
  }
})
