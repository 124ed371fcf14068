/** What changed without a platform event: memories (upstream announces none) and inbox reads. */
export type StateChange = 'memories' | 'inbox-read'

export type StateChangeListener = (change: StateChange, workspaceId: string) => void

/**
 * In-process notices of state changes the platform's event catalogue does not cover, for observers inside this
 * process (the dev console). Never sent on any wire: the event streams keep the upstream catalogue.
 */
export class StateChanges {
  private readonly listeners = new Set<StateChangeListener>()

  notify(change: StateChange, workspaceId: string): void {
    for (const listener of this.listeners) listener(change, workspaceId)
  }

  subscribe(listener: StateChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
