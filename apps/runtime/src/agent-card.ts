import { networkInterfaces } from 'node:os'
import type { AgentCard } from '@molecule/adapter-core/a2a'

export interface CardSkill {
  id: string
  name: string
  description: string
  tags?: readonly string[]
  examples?: readonly string[]
}

export interface CardInput {
  name: string
  description: string
  version: string
  url: string
  streaming: boolean
  pushNotifications: boolean
  skills: readonly CardSkill[]
}

const MODES = ['text/plain', 'application/json']

/** The card served at `/.well-known/agent-card.json` (A2A v0.3 shape; JSON-RPC at the root URL and `/a2a`). */
export function servedAgentCard(input: CardInput): AgentCard {
  return {
    name: input.name,
    description: input.description || input.name,
    version: input.version,
    url: input.url,
    protocolVersion: '0.3.0',
    preferredTransport: 'JSONRPC',
    additionalInterfaces: [
      { url: input.url, transport: 'JSONRPC' },
      { url: `${input.url}/a2a`, transport: 'JSONRPC' },
    ],
    capabilities: {
      streaming: input.streaming,
      pushNotifications: input.pushNotifications,
      stateTransitionHistory: true,
    },
    defaultInputModes: MODES,
    defaultOutputModes: MODES,
    skills: input.skills.map((skill) => ({
      id: skill.id,
      name: skill.name,
      description: skill.description,
      tags: [...(skill.tags ?? [])],
      ...(skill.examples?.length ? { examples: [...skill.examples] } : {}),
    })),
  }
}

/** The card sent with `POST /registry/register`: exactly the keys the platform stores and reads. */
export function platformAgentCard(input: CardInput): {
  name: string
  description: string
  version: string
  url: string
  skills: Array<{ id: string; name: string; description: string; tags: string[] }>
  capabilities: { streaming: boolean; pushNotifications: boolean }
} {
  return {
    name: input.name,
    description: input.description,
    version: input.version,
    url: input.url,
    skills: input.skills.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      tags: [...(s.tags ?? [])],
    })),
    capabilities: { streaming: input.streaming, pushNotifications: input.pushNotifications },
  }
}

const WILDCARD_BINDS = new Set(['', '0.0.0.0', '::', '[::]'])

/**
 * Host part of the URL peers use to reach us (the `url` of `POST /registry/register`): `HOSTNAME` (the container name on a
 * Docker network) when set; else the address the A2A server is bound to when that is a specific one (a server
 * bound to 127.0.0.1 is not reachable at the machine's LAN address); else the first non-internal IPv4 address,
 * else loopback. No outbound connection is made to find it.
 */
export function advertisedHost(hostname: string | undefined, bindHost?: string): string {
  const named = hostname?.trim()
  if (named) return named
  const bound = bindHost?.trim() ?? ''
  if (!WILDCARD_BINDS.has(bound)) return bound
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address
    }
  }
  return '127.0.0.1'
}

/** `http://<host>:<port>`, with an IPv6 literal host in brackets (`http://[fd00::5]:8000`). */
export function advertisedUrl(host: string, port: number): string {
  const literal = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  return `http://${literal}:${port}`
}
