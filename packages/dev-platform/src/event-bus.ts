import { isoTime, newId } from './ids.js'

export interface PlatformEvent {
  id: string
  event: string
  workspaceId: string
  at: number
  payload: Record<string, unknown>
  /** Recorded events are kept for `GET /events`; broadcast-only ones are just fanned out. */
  recorded: boolean
}

export type EventListener = (event: PlatformEvent) => void

const RECORDED_CAP = 1_000

/** In-process fan-out of platform events plus the recorded `structure_events` journal. */
export class EventBus {
  readonly recorded: PlatformEvent[] = []
  private readonly listeners = new Set<EventListener>()

  constructor(private readonly now: () => number) {}

  emit(
    event: string,
    workspaceId: string,
    payload: Record<string, unknown> = {},
    recorded = true,
  ): PlatformEvent {
    const entry: PlatformEvent = { id: newId(), event, workspaceId, at: this.now(), payload, recorded }
    if (recorded) {
      this.recorded.push(entry)
      if (this.recorded.length > RECORDED_CAP) this.recorded.shift()
    }
    for (const listener of this.listeners) listener(entry)
    return entry
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Shape of `GET /events` rows. */
  static describe(event: PlatformEvent) {
    return {
      id: event.id,
      event_type: event.event,
      workspace_id: event.workspaceId,
      payload: event.payload,
      created_at: isoTime(event.at),
    }
  }
}
