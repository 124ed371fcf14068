import type { RuntimeCapabilitiesWire } from '@molecule/adapter-core/runtime'
import type { RuntimeCapabilitiesFlags } from '@molecule/platform-client'
import { describe, expectTypeOf, it } from 'vitest'

// adapter-core (zod only) and platform-client (no adapter-core) each declare the heartbeat's capability names; the
// runtime, which uses both, is where a drift between the two must fail.
describe('the heartbeat capability wire type', () => {
  it('is the same in adapter-core and platform-client', () => {
    expectTypeOf<RuntimeCapabilitiesWire>().toEqualTypeOf<RuntimeCapabilitiesFlags>()
  })
})
