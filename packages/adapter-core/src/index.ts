// The template author's API. Wire types and converters live in `@molecule/adapter-core/a2a`; what the runtime and
// servers need to load and drive adapters lives in `@molecule/adapter-core/runtime`.

export { isMoleculeError, MoleculeError, type MoleculeErrorOptions } from '@molecule/core'
export type { DataPart, FilePart, Message, Metadata, Part, Role, TextPart } from './a2a/v03.js'
export type {
  Adapter,
  AdapterConfig,
  AdapterPreflightContext,
  AdapterPreflightIssue,
  ChildWorkspace,
  HeartbeatHandle,
  MemoryHandle,
  PluginInstallResult,
  PluginRef,
  RuntimeCapabilities,
  SetupResult,
  SkillSummary,
  TranscriptPage,
} from './adapter.js'
export {
  DEFAULT_MEMORY_FILENAME,
  defineAdapter,
  runtimeCapabilities,
  unsupportedTranscript,
} from './adapter.js'
export type { AgentTool, AgentToolResult } from './agent-tool.js'
export type { AttachedFile } from './attachments.js'
export { attachedFiles, attachmentManifest, resolveAttachmentUri } from './attachments.js'
export { readDelegationResults } from './delegation-results.js'
export type {
  ArtifactChunk,
  ExecuteFn,
  ExecuteOutput,
  Executor,
  ExecutorLogger,
  RequestContext,
  TaskEvent,
  TaskEvents,
} from './executor.js'
export { defineExecutor, sanitizedAgentError } from './executor.js'
export type { SubprocessErrorCategory } from './executor-helpers.js'
export { briefSummary, classifySubprocessError } from './executor-helpers.js'
export type { TextMessageOptions } from './messages.js'
export { extractText, textMessage } from './messages.js'
export type { PromptFile, PromptPeer, SystemPromptParts } from './prompt.js'
export { buildSystemPrompt, readPromptFiles, renderPeerSection, renderTeamSection } from './prompt.js'
