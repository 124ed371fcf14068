/** One approval request made for a gated tool call, bound to that call's fingerprint. */
interface Grant {
  readonly fingerprint: string
  readonly toolName: string
  /** Set (synchronously) by the one run that executes the approved call. */
  used: boolean
}

/** Why a gated call may not use an approval. */
export type GrantRefusal = 'unknown' | 'other_call' | 'used'

/**
 * The approvals this process asked for on behalf of gated tool calls. An approval is bound to the fingerprint of the
 * call it was asked for and is spent by the first run that executes it: a run with other arguments is refused, and
 * of two runs of the same approved call only one executes. Calls in flight with the same fingerprint share one
 * request instead of asking the human twice.
 */
export class ApprovalGrants {
  readonly #grants = new Map<string, Grant>()
  readonly #inFlight = new Map<string, Promise<unknown>>()

  record(approvalId: string, toolName: string, fingerprint: string): void {
    this.#grants.set(approvalId, { fingerprint, toolName, used: false })
  }

  /** The request already in flight for this call, if any (concurrent identical calls join it). */
  inFlight<T>(fingerprint: string): Promise<T> | undefined {
    return this.#inFlight.get(fingerprint) as Promise<T> | undefined
  }

  /** Registers the request for `fingerprint` while it runs. */
  track<T>(fingerprint: string, pending: Promise<T>): Promise<T> {
    this.#inFlight.set(fingerprint, pending)
    const clear = () => {
      if (this.#inFlight.get(fingerprint) === pending) this.#inFlight.delete(fingerprint)
    }
    pending.then(clear, clear)
    return pending
  }

  /** Whether `approvalId` may authorise this call (without spending it). */
  check(approvalId: string, fingerprint: string): GrantRefusal | undefined {
    const grant = this.#grants.get(approvalId)
    if (!grant) return 'unknown'
    if (grant.fingerprint !== fingerprint) return 'other_call'
    if (grant.used) return 'used'
    return undefined
  }

  /** Spends the approval for this call; false when it cannot (another run got there first). Synchronous on purpose. */
  spend(approvalId: string, fingerprint: string): boolean {
    if (this.check(approvalId, fingerprint) !== undefined) return false
    const grant = this.#grants.get(approvalId)
    if (grant) grant.used = true
    return true
  }

  toolOf(approvalId: string): string | undefined {
    return this.#grants.get(approvalId)?.toolName
  }
}
