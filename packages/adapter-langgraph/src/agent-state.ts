import type { DynamicStructuredTool } from '@langchain/core/tools'
import type { AgentTool, SetupResult } from '@molecule/adapter-core'
import { toLangChainTool } from './langchain-tools.js'

/** What one task runs with: the system prompt and tools current when it started. */
export interface AgentSnapshot {
  readonly systemPrompt: string
  readonly tools: readonly DynamicStructuredTool[]
  /** Bumped on every replace; the executor rebuilds its graph when it changes. */
  readonly version: number
}

/**
 * The adapter's current prompt and tools. The runtime replaces them when skills hot-reload (`onSkillsChanged`) or
 * the platform's parts of the prompt arrive; a running task keeps the snapshot it started with, the next task reads
 * the new one. No restart is needed.
 */
export class AgentState {
  private current: AgentSnapshot

  constructor(systemPrompt: string, tools: readonly AgentTool[]) {
    this.current = { systemPrompt, tools: tools.map(toLangChainTool), version: 1 }
  }

  snapshot(): AgentSnapshot {
    return this.current
  }

  replace(setup: Pick<SetupResult, 'systemPrompt' | 'tools'>): void {
    this.current = {
      systemPrompt: setup.systemPrompt,
      tools: setup.tools.map(toLangChainTool),
      version: this.current.version + 1,
    }
  }
}
