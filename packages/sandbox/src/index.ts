export { BwrapBackend, findBwrap } from './bwrap-backend.js'
export { DockerBackend } from './docker-backend.js'
export { DEFAULT_LIMITS, parseMemoryLimit } from './limits.js'
export { createSandbox, type Sandbox, type SandboxOptions } from './sandbox.js'
export { SandboxError } from './sandbox-error.js'
export { SUBPROCESS_WARNING, SubprocessBackend } from './subprocess-backend.js'
export {
  BACKENDS,
  type BackendChoice,
  type BackendName,
  LANGUAGES,
  type Language,
  type RunCodeFailure,
  type RunCodeResult,
  type RunCodeSuccess,
  type SandboxLimits,
} from './types.js'
