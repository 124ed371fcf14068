import { describe, expect, it } from 'vitest'
import { advertisedHost, advertisedUrl, platformAgentCard, servedAgentCard } from './agent-card.js'

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

  it('advertises a specific bind address when HOSTNAME is unset, never a wildcard', () => {
    expect(advertisedHost(undefined, '127.0.0.1')).toBe('127.0.0.1')
    expect(advertisedHost('', '10.1.2.3')).toBe('10.1.2.3')
    expect(advertisedHost('agent-1', '127.0.0.1')).toBe('agent-1')
    for (const wildcard of ['0.0.0.0', '::', '']) {
      expect(advertisedHost(undefined, wildcard)).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    }
  })

  it('brackets IPv6 literals in the advertised URL', () => {
    expect(advertisedUrl('agent-1', 8000)).toBe('http://agent-1:8000')
    expect(advertisedUrl('10.0.0.7', 8000)).toBe('http://10.0.0.7:8000')
    expect(advertisedUrl('fd00::5', 8000)).toBe('http://[fd00::5]:8000')
    expect(advertisedUrl('[fd00::5]', 8000)).toBe('http://[fd00::5]:8000')
    expect(new URL(advertisedUrl('::1', 9)).port).toBe('9')
  })
})
