import { isPlatformError, PlatformClient } from '@molecule/platform-client'
import type { BridgeConfig, WorkspaceEntry } from './bridge-config.js'
import { bridgeRegisterBody } from './workspace-session.js'

type Verdict = 'OK' | 'FAIL' | 'SKIP'

export interface DoctorRow {
  workspace: string
  platform: string
  reachable: Verdict
  token: Verdict
  register: Verdict
  heartbeat: Verdict
  inbox: Verdict
  fix: string
}

function describe(err: unknown): { status?: number; text: string } {
  if (isPlatformError(err))
    return { ...(err.status !== undefined ? { status: err.status } : {}), text: err.message }
  return { text: err instanceof Error ? err.message : String(err) }
}

async function checkWorkspace(
  entry: WorkspaceEntry,
  config: BridgeConfig,
  timeoutMs: number,
): Promise<DoctorRow> {
  const row: DoctorRow = {
    workspace: entry.id,
    platform: entry.platformUrl,
    reachable: 'SKIP',
    token: 'SKIP',
    register: 'SKIP',
    heartbeat: 'SKIP',
    inbox: 'SKIP',
    fix: '',
  }
  try {
    const res = await fetch(`${entry.platformUrl}/health`, { signal: AbortSignal.timeout(timeoutMs) })
    row.reachable = res.status < 500 ? 'OK' : 'FAIL'
    if (row.reachable === 'FAIL') {
      row.fix = `the platform answered ${res.status} on /health; check PLATFORM_URL or try again later`
      return row
    }
  } catch {
    row.reachable = 'FAIL'
    row.fix = `cannot reach ${entry.platformUrl}; check the URL (scheme, host, port) and your network`
    return row
  }
  const client = new PlatformClient({
    platformUrl: entry.platformUrl,
    workspaceId: entry.id,
    token: entry.token,
    origin: entry.platformUrl,
    timeoutMs,
    retry: { attempts: 1 },
    ...(config.orgId && !entry.ownUrl ? { orgId: config.orgId } : {}),
  })
  try {
    await client.heartbeat({ error_rate: 0, active_tasks: 0 }, { retry: false })
    row.token = 'OK'
    row.heartbeat = 'OK'
  } catch (err) {
    const { status, text } = describe(err)
    if (status === 401 || status === 403) {
      row.token = 'FAIL'
      row.fix = `the token for ${entry.id} is invalid or revoked: create a new token on the workspace page and update your MCP config`
      return row
    }
    row.heartbeat = 'FAIL'
    row.fix = `heartbeat failed: ${text}`
  }
  try {
    await client.register(bridgeRegisterBody(config, entry.id), { retry: false })
    row.register = 'OK'
    if (row.token === 'SKIP') row.token = 'OK'
  } catch (err) {
    row.register = 'FAIL'
    row.fix ||= `register failed: ${describe(err).text}`
  }
  try {
    await client.listActivity({ type: 'a2a_receive', sinceSecs: 60, limit: 1 }, { retry: false })
    row.inbox = 'OK'
  } catch (err) {
    row.inbox = 'FAIL'
    row.fix ||= `inbox not readable: ${describe(err).text}`
  }
  return row
}

/** Checks every configured workspace; returns the rows (callers print them). */
export async function runDoctor(config: BridgeConfig, timeoutMs = 5_000): Promise<DoctorRow[]> {
  return Promise.all(config.workspaces.map((entry) => checkWorkspace(entry, config, timeoutMs)))
}

export function formatDoctorTable(rows: DoctorRow[]): string {
  const header = ['workspace', 'platform', 'reachable', 'token', 'register', 'heartbeat', 'inbox']
  const cells = rows.map((r) => [
    r.workspace,
    r.platform,
    r.reachable,
    r.token,
    r.register,
    r.heartbeat,
    r.inbox,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)))
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ')
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)]
  const fixes = rows.filter((r) => r.fix).map((r) => `next (${r.workspace}): ${r.fix}`)
  if (fixes.length > 0) out.push('', ...fixes)
  else out.push('', 'All checks passed.')
  return out.join('\n')
}

export function doctorFailed(rows: DoctorRow[]): boolean {
  return rows.some((r) => [r.reachable, r.token, r.register, r.heartbeat, r.inbox].includes('FAIL'))
}
