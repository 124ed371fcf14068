export type {
  NormalisedResult,
  RuntimeIdentity,
  Tool,
  ToolContext,
  ToolResult,
  WorkspaceDirectory,
} from './registry.js'
export {
  defineTool,
  describeInputIssues,
  inputJsonSchema,
  normaliseResult,
  ToolRegistry,
} from './registry.js'
