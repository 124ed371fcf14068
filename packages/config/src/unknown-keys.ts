import { didYouMean } from './closest-name.ts'
import { closedBlocks, workspaceConfigSchema } from './schema.ts'

/** Keys the upstream docs describe but no runtime code reads; they get a gentler warning. */
const DOCUMENTED_UNUSED = new Set(['memory', 'env'])

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Warnings for keys the schema does not know. They never fail loading (configs written for other
 * runtime versions must keep booting), but a typo such as `a2a.prot` should not pass silently.
 */
export function unknownKeyWarnings(raw: Record<string, unknown>, source: string): string[] {
  const warnings: string[] = []
  const topKeys = new Set(Object.keys(workspaceConfigSchema.shape))
  for (const key of Object.keys(raw)) {
    if (topKeys.has(key)) continue
    warnings.push(
      DOCUMENTED_UNUSED.has(key)
        ? `${source}: "${key}" is not used by this runtime; ignored.`
        : `${source}: unknown key "${key}" ignored.${didYouMean(key, topKeys)}`,
    )
  }
  for (const [blockName, schema] of Object.entries(closedBlocks)) {
    const block = raw[blockName]
    if (!isMapping(block)) continue
    const known = Object.keys(schema.shape)
    for (const key of Object.keys(block)) {
      if (!known.includes(key)) {
        warnings.push(
          `${source}: unknown key "${blockName}.${key}" ignored (known: ${known.join(', ')}).${didYouMean(key, known)}`,
        )
      }
    }
  }
  const scan = raw.security_scan
  if (isMapping(scan)) {
    for (const key of Object.keys(scan)) {
      if (key !== 'mode' && key !== 'fail_open_if_no_scanner') {
        warnings.push(
          `${source}: unknown key "security_scan.${key}" ignored (known: mode, fail_open_if_no_scanner).${didYouMean(key, ['mode', 'fail_open_if_no_scanner'])}`,
        )
      }
    }
  }
  return warnings
}
