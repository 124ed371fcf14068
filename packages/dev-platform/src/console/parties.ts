import type { PlatformState } from '../platform-state.js'
import { shownText } from './text-preview.js'

/** One end of a message: a workspace (with its name) or, for `id: null`, the human user. */
export interface Party {
  id: string | null
  name: string
}

export const USER: Party = { id: null, name: 'user' }

export function partyOf(state: PlatformState, id: string | null | undefined): Party {
  if (!id) return USER
  const ws = state.get(id)
  return { id, name: ws ? shownText(ws.name, 60) : shownText(id, 60) }
}
