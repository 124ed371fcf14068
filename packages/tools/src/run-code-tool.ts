import type { Sandbox } from '@molecule/sandbox'
import { z } from 'zod'
import { defineTool, type Tool } from './registry.js'

/**
 * Marks run_code output as sandbox content: the pre-stop snapshot drops any string carrying it, so whatever the
 * agent's code printed (a secret it found, a prompt injection) never outlives the process.
 */
export const SANDBOX_OUTPUT_MARKER = '[sandbox_output]'

const input = z.object({
  code: z.string().describe('The program to run.'),
  language: z.string().default('python').describe('python (default), javascript, shell or bash.'),
})

/**
 * `run_code(code, language)`: runs the code in the workspace's sandbox and answers with
 * `{exit_code, stdout, stderr, language, backend}`, or `{error, exit_code: -1}` (unsupported language, timeout,
 * a backend that cannot run). Only the runtime offers it: an agent behind the MCP bridge has its own shell.
 */
export function runCodeTool(sandbox: Sandbox): Tool<typeof input> {
  return defineTool({
    name: 'run_code',
    description:
      'Run a short program in the code sandbox, under a time and memory limit, and get its exit code, stdout and stderr. Languages: python, javascript, shell, bash. Files do not persist between calls.',
    input,
    async run(ctx, { code, language }) {
      const result = await sandbox.run(code, language, ctx.signal)
      return {
        text: `${SANDBOX_OUTPUT_MARKER} ${JSON.stringify(result)}`,
        isError: 'error' in result,
        data: result,
      }
    },
  })
}
