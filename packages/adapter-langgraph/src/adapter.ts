import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import type {
  Adapter,
  AdapterConfig,
  AdapterPreflightContext,
  AdapterPreflightIssue,
  Executor,
  SetupResult,
} from '@molecule/adapter-core'
import { isMoleculeError } from '@molecule/core'
import { AgentState } from './agent-state.js'
import { createChatModel } from './chat-model.js'
import { createLangGraphExecutor, type ReplyRedactor } from './executor.js'
import { type Env, keyOptional, type ModelSpec, parseModelSpec } from './model-spec.js'
import { langGraphConfigSchema, readModelSettings } from './settings.js'

export interface LangGraphAdapterOptions {
  /**
   * The chat model to use instead of the one config `model` names (tests, benchmarks, a custom provider). A
   * function receives the parsed model spec. With it, preflight does not ask for a provider key.
   */
  chatModel?: BaseChatModel | ((spec: ModelSpec) => BaseChatModel | Promise<BaseChatModel>)
  /** Compliance redaction of the final reply (PII); default `AdapterConfig.redactReply`. Credentials are masked regardless. */
  redactReply?: ReplyRedactor
}

/**
 * The `langgraph` runtime: a ReAct agent on LangGraph.js with the chat model of config `model`, the workspace's
 * tools (built-in, skill and plugin tools from the runtime's setup) and its assembled system prompt. A class, so
 * every runtime that loads it gets its own prompt and tools.
 */
export class LangGraphAdapter implements Adapter {
  readonly name = 'langgraph'
  readonly displayName = 'LangGraph'
  readonly description =
    'A ReAct agent on LangGraph.js over Anthropic, OpenAI or any OpenAI-compatible chat model.'
  readonly configSchema: Record<string, unknown> = langGraphConfigSchema
  private state: AgentState | undefined

  constructor(private readonly options: LangGraphAdapterOptions = {}) {}

  /** A missing provider key or an unknown provider fails preflight, naming the variable or the setting. */
  preflight({ model, env }: AdapterPreflightContext): AdapterPreflightIssue[] {
    let spec: ModelSpec
    try {
      spec = parseModelSpec(model, env)
    } catch (err) {
      if (!isMoleculeError(err)) throw err
      return [{ level: 'fail', title: 'Model', detail: err.message, fix: err.fix ?? '' }]
    }
    if (this.options.chatModel || spec.apiKey || keyOptional(spec)) return []
    return [
      {
        level: 'fail',
        title: 'Model',
        detail: `${spec.keyVar} is not set; model "${model}" needs it.`,
        fix: `Set ${spec.keyVar} through the platform secrets API, or change \`model\` in config.yaml.`,
      },
    ]
  }

  async createExecutor(config: AdapterConfig): Promise<Executor> {
    const env: Env = config.env ?? process.env
    const spec = parseModelSpec(config.model, env)
    const model = await this.chatModelFor(spec, config, env)
    const setup = config.setup
    this.state = new AgentState(setup?.systemPrompt ?? config.systemPrompt ?? '', setup?.tools ?? [])
    return createLangGraphExecutor({
      model,
      spec,
      state: this.state,
      env,
      workspaceDir: config.workspaceDir,
      redactReply: this.options.redactReply ?? config.redactReply,
    })
  }

  /** Skills reloaded (or the prompt completed): the next task runs with the new prompt and tools. */
  onSkillsChanged(setup: SetupResult): void {
    this.state?.replace(setup)
  }

  private async chatModelFor(spec: ModelSpec, config: AdapterConfig, env: Env): Promise<BaseChatModel> {
    const given = this.options.chatModel
    if (typeof given === 'function') return given(spec)
    if (given) return given
    return createChatModel(spec, readModelSettings(config.runtimeConfig, env))
  }
}
