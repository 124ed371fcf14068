/**
 * One abort signal for one request attempt: fires when `timeoutMs` passes or the caller's signal aborts, whichever
 * comes first. Cheaper than `AbortSignal.any([signal, AbortSignal.timeout(ms)])` (weak references and a finalization
 * registry per call), which showed up as a tenth of an idle bridge's CPU. Call `done()` when the attempt is over.
 */
export class Deadline {
  readonly #controller = new AbortController()
  readonly #timer: NodeJS.Timeout
  readonly #caller: AbortSignal | undefined
  readonly #onCallerAbort: (() => void) | undefined
  #timedOut = false

  constructor(timeoutMs: number, caller?: AbortSignal) {
    this.#timer = setTimeout(() => {
      this.#timedOut = true
      this.#controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError'))
    }, timeoutMs)
    this.#timer.unref()
    this.#caller = caller
    if (caller?.aborted) this.#controller.abort(caller.reason)
    else if (caller) {
      this.#onCallerAbort = () => this.#controller.abort(caller.reason)
      caller.addEventListener('abort', this.#onCallerAbort, { once: true })
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** The time ran out (not the caller). */
  get timedOut(): boolean {
    return this.#timedOut
  }

  done(): void {
    clearTimeout(this.#timer)
    if (this.#onCallerAbort) this.#caller?.removeEventListener('abort', this.#onCallerAbort)
  }
}
