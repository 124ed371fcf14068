/** The modules upstream plugins import built-in adaptors from. */
const BUILTINS_MODULE = /^(?:[A-Za-z_][\w]*\.)*plugins_registry(?:\.builtins)?$/
const IMPORT = /^from\s+([\w.]+)\s+import\s+([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?$/
const ASSIGN = /^Adaptor\s*=\s*([A-Za-z_]\w*)$/

function codeLines(source: string): string[] {
  const withoutDocstrings = source.replace(/^\s*("""|''')[\s\S]*?\1/, '')
  return withoutDocstrings
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean)
}

/**
 * The built-in adaptor class a Python adaptor file only re-exports (`from plugins_registry.builtins import
 * AgentskillsAdaptor as Adaptor`, or the import followed by `Adaptor = AgentskillsAdaptor`); undefined for a file
 * that does anything else, which a TypeScript runtime cannot run.
 */
export function reexportedBuiltin(source: string): string | undefined {
  const lines = codeLines(source)
  const first = IMPORT.exec(lines[0] ?? '')
  if (!first || !BUILTINS_MODULE.test(first[1] ?? '')) return undefined
  const [, , imported, alias] = first
  if (lines.length === 1) return alias === 'Adaptor' ? imported : undefined
  if (lines.length === 2 && alias === undefined) {
    const assigned = ASSIGN.exec(lines[1] ?? '')?.[1]
    return assigned === imported ? imported : undefined
  }
  return undefined
}
