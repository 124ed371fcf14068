// `pnpm chaos`: fault, fuzz and soak runs of the shipped processes; prints the table of figures and exits 1 when a
// figure misses its target. `--smoke` runs the same scenarios briefly (CI); `--only <name,...>` picks scenarios.
import { parseArgs } from 'node:util'
import { diskFull } from './disk-full.mjs'
import { fuzz } from './fuzz.mjs'
import { requireBuilt } from './lib/processes.mjs'
import { machineLine, renderTable } from './lib/report.mjs'
import { platformFaults } from './platform-faults.mjs'
import { processKills } from './process-kills.mjs'
import { soak } from './soak.mjs'

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { smoke: { type: 'boolean', default: false }, only: { type: 'string' } },
})
const smoke = values.smoke
const FULL = {
  platform: { workspaces: 100, durationMs: 5 * 60_000, stallMs: 30_000, messages: 1000 },
  kills: { bridgeKills: 50, runtimeKills: 50, workspaces: 10 },
  fuzz: { a2aBodies: 10_000, toolCalls: 5_000, configs: 2_000 },
  soak: { durationMs: 30 * 60_000, ratePerSecond: 20, limits: { rssMbPerMin: 0.5, fdsPerMin: 0.5 } },
}
const SMOKE = {
  platform: { workspaces: 10, durationMs: 21_000, stallMs: 2_000, messages: 60 },
  kills: { bridgeKills: 4, runtimeKills: 4, workspaces: 3 },
  fuzz: { a2aBodies: 500, toolCalls: 300, configs: 200 },
  // A 20-second soak only proves the scenario runs: its slopes are mostly warm-up, so the limits are wide.
  soak: { durationMs: 20_000, ratePerSecond: 10, limits: { rssMbPerMin: 60, fdsPerMin: 60 } },
}
const plan = smoke ? SMOKE : FULL
const scenarios = {
  platform: () => platformFaults(plan.platform),
  kills: () => processKills(plan.kills),
  disk: () => diskFull(),
  fuzz: () => fuzz(plan.fuzz),
  soak: () => soak(plan.soak),
}
const chosen = values.only ? values.only.split(',') : Object.keys(scenarios)

requireBuilt()
const startedAt = Date.now()
const machine = machineLine()
const rows = []
for (const name of chosen) {
  const scenario = scenarios[name]
  if (!scenario) {
    console.error(`unknown scenario "${name}" (known: ${Object.keys(scenarios).join(', ')})`)
    process.exit(2)
  }
  process.stderr.write(`chaos: ${name}…\n`)
  rows.push(...(await scenario()))
}
const failed = rows.filter((r) => !r.ok)
console.log(
  `\nchaos ${smoke ? 'smoke' : 'full'} run, ${machine}, ${Math.round((Date.now() - startedAt) / 1000)} s\n`,
)
console.log(renderTable(rows))
console.log(
  failed.length === 0 ? '\nevery figure met its target' : `\n${failed.length} figure(s) missed the target`,
)
process.exit(failed.length === 0 ? 0 : 1)
