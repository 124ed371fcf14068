import type { SandboxConfig } from '@molecule/config'
import type { Logger } from '@molecule/core'
import { createSandbox, parseMemoryLimit } from '@molecule/sandbox'
import { runCodeTool, type Tool } from '@molecule/tools'

/**
 * `run_code` with the workspace's `sandbox` block (SANDBOX_* already applied): the backend decided once at boot,
 * where the subprocess backend says it does not isolate. A bad `memory_limit` stops the boot naming the setting.
 */
export function sandboxTool(sandbox: SandboxConfig, log: Logger): Tool {
  return runCodeTool(
    createSandbox({
      backend: sandbox.backend,
      limits: { timeoutSeconds: sandbox.timeout, memoryBytes: parseMemoryLimit(sandbox.memory_limit) },
      logger: log,
    }),
  ) as Tool
}
