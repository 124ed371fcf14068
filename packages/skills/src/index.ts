export { ACTIVATE_SKILL_TOOL, activateSkillTool, activationText } from './activate-skill.js'
export type { AuditSink, SkillAuditEvent } from './audit.js'
export {
  type CatalogEntry,
  DEFAULT_CATALOG_MAX_CHARS,
  type SkillCatalog,
  type SkillPromptMode,
  skillCatalog,
} from './catalog.js'
export { DependencyScanner, type DependencyScanSettings, type ScanReport } from './dependency-scan.js'
export { type PluginSkillDir, type ShadowedSkill, type SkillSource, skillSources } from './discovery.js'
export { type ParsedSkillMd, parseSkillMd, quoteUnquotedColons } from './frontmatter.js'
export { type LoadedSkill, type LoadSkillOptions, loadSkill, type SkillLoad } from './load-skill.js'
export { describeProblem, hasErrors, type SkillProblem } from './problems.js'
export { SCRIPT_TOOL_DEFAULTS, type ScriptToolDefaults } from './script-tools.js'
export { isSecretEnvName, scriptEnvironment, withoutSecretEnv } from './secret-env.js'
export { SkillError } from './skill-error.js'
export { type ReloadOutcome, SkillLibrary, type SkillLibraryOptions } from './skill-library.js'
export type { SkillMetadata } from './skill-metadata.js'
export {
  type SkillTool,
  type SkillToolContext,
  type SkillToolOrigin,
  type SkillToolResult,
  toolInputJsonSchema,
} from './skill-tool.js'
export { skillToolset } from './toolset.js'
