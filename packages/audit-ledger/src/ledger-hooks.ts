import { type Logger, silentLogger } from '@molecule/core'
import type { AuditLedger, LedgerEvent } from './audit-ledger.js'
import { contentHash } from './canonical.js'

/**
 * The ledger events of one agent's tasks, as an executor records them: only hashes of the texts are stored, never
 * the texts. Every hook returns at once; writes happen in order in the background, and a failure is logged as a
 * warning and never reaches the task. `flush()` waits for what was recorded so far.
 */
export class LedgerHooks {
  #tail: Promise<unknown> = Promise.resolve()
  readonly #logger: Logger

  constructor(
    private readonly ledger: AuditLedger,
    private readonly agentId: string,
    logger: Logger = silentLogger,
  ) {
    this.#logger = logger
  }

  #record(event: Omit<LedgerEvent, 'agentId'>): void {
    this.#tail = this.#tail.then(() =>
      this.ledger.append({ ...event, agentId: this.agentId }).catch((err: unknown) => {
        this.#logger.warn(
          { err: (err as Error).message, operation: event.operation },
          'audit ledger write failed',
        )
      }),
    )
  }

  onTaskStart(
    sessionId: string,
    inputText: string,
    flags: { humanOversight?: boolean; risk?: boolean } = {},
  ): void {
    this.#record({
      sessionId,
      operation: 'task_start',
      inputHash: contentHash(inputText),
      humanOversightFlag: flags.humanOversight ?? false,
      riskFlag: flags.risk ?? false,
    })
  }

  onLlmCall(sessionId: string, model: string, inputText: unknown, outputText: unknown, risk = false): void {
    this.#record({
      sessionId,
      operation: 'llm_call',
      modelUsed: model,
      inputHash: contentHash(inputText),
      outputHash: contentHash(outputText),
      riskFlag: risk,
    })
  }

  onToolCall(sessionId: string, toolName: string, input: unknown, output: unknown, risk = false): void {
    this.#record({
      sessionId,
      operation: 'tool_call',
      modelUsed: toolName,
      inputHash: contentHash(input),
      outputHash: contentHash(output),
      riskFlag: risk,
    })
  }

  onTaskEnd(
    sessionId: string,
    outputText: unknown,
    flags: { humanOversight?: boolean; risk?: boolean } = {},
  ): void {
    this.#record({
      sessionId,
      operation: 'task_end',
      outputHash: contentHash(outputText),
      humanOversightFlag: flags.humanOversight ?? false,
      riskFlag: flags.risk ?? false,
    })
  }

  flush(): Promise<void> {
    return this.#tail.then(() => undefined)
  }
}
