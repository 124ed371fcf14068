// The floor for the MCP benchmarks: a bare MCP SDK stdio server with one echo tool and nothing else.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { z } from 'zod'

const server = new McpServer({ name: 'bare', version: '1.0.0' })
server.registerTool(
  'echo',
  { description: 'echo', inputSchema: { text: z.string().optional() } },
  async ({ text }) => ({
    content: [{ type: 'text', text: text ?? 'ok' }],
  }),
)
await server.connect(new StdioServerTransport())
