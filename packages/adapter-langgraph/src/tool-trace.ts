/** One tool call as the final message's `metadata.tool_trace` lists it. */
export interface ToolTraceEntry {
  tool: string
  /** The arguments, serialised, first 500 characters. */
  input: string
  /** The tool's answer, first 300 characters; absent while (or if) the tool never finished. */
  output_preview?: string
}

const MAX_ENTRIES = 200
const INPUT_CHARS = 500
const OUTPUT_CHARS = 300

function text(value: unknown): string {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && 'content' in value)
    return text((value as { content: unknown }).content)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Collects tool starts and ends of one task, paired by LangChain run id; at most 200 entries. */
export class ToolTrace {
  readonly entries: ToolTraceEntry[] = []
  private readonly open = new Map<string, ToolTraceEntry>()

  start(runId: string, tool: string, input: unknown): void {
    if (this.entries.length >= MAX_ENTRIES) return
    const entry: ToolTraceEntry = { tool, input: text(input).slice(0, INPUT_CHARS) }
    this.entries.push(entry)
    this.open.set(runId, entry)
  }

  end(runId: string, output: unknown): void {
    const entry = this.open.get(runId)
    if (!entry) return
    this.open.delete(runId)
    entry.output_preview = text(output).slice(0, OUTPUT_CHARS)
  }
}
