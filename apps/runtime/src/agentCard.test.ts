import { describe, expect, it } from 'vitest'
import { advertisedHost, platformAgentCard, servedAgentCard } from './agentCard.js'

const input = {
  name: 'Researcher',
  description: '',
  version: '1.2.3',
  url: 'http://ws-a:8000',
  streaming: true,
  pushNotifications: false,
  skills: [{ id: 'sum', name: 'Summarise', description: 'Condense', tags: ['text'], examples: ['sum this'] }],
}

describe('agent cards', () => {
  it('serves a v0.3 card whose description falls back to the name', () => {
    const card = servedAgentCard(input)
    expect(card.description).toBe('Researcher')
    expect(card.capabilities).toEqual({
      streaming: true,
      pushNotifications: false,
      stateTransitionHistory: true,
    })
    expect(card.defaultInputModes).toEqual(['text/plain', 'application/json'])
    expect(card.skills[0]?.examples).toEqual(['sum this'])
  })

  it('registers exactly the keys the platform reads', () => {
    const card = platformAgentCard(input)
    expect(Object.keys(card).sort()).toEqual([
      'capabilities',
      'description',
      'name',
      'skills',
      'url',
      'version',
    ])
    expect(card.description).toBe('')
    expect(card.skills[0]).toEqual({ id: 'sum', name: 'Summarise', description: 'Condense', tags: ['text'] })
  })

  it('advertises HOSTNAME when set, otherwise a detected address', () => {
    expect(advertisedHost('agent-1')).toBe('agent-1')
    expect(advertisedHost(undefined)).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
  })
})
