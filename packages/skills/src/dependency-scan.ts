import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { access, readFile } from 'node:fs/promises'
import { delimiter, dirname, join } from 'node:path'
import { maskSecrets } from '@molecule/core'
import type { SkillAuditEvent } from './audit.js'
import { type SkillProblem, skillProblem } from './problems.js'
import {
  type Finding,
  isSevere,
  npmAuditFindings,
  pipAuditFindings,
  snykFindings,
  summariseFindings,
} from './scan-reports.js'

/** config.yaml `security_scan`: `off`, `warn` (log and load) or `block` (refuse the skill) on critical/high findings. */
export interface DependencyScanSettings {
  mode: 'off' | 'warn' | 'block'
  /** With `block`: a skill whose manifest no scanner on PATH can read still loads (true) or is refused (false). */
  failOpenIfNoScanner: boolean
  /** Per scanner run; default 120 000. */
  timeoutMs?: number
  /** Where scanners are looked up (`PATH`) and the environment they run with (their own tokens, e.g. `SNYK_TOKEN`). */
  env?: Readonly<Record<string, string | undefined>>
}

type Ecosystem = 'python' | 'node'

/** Manifests looked at, first found per ecosystem. */
const MANIFESTS: ReadonlyArray<{ file: string; ecosystem: Ecosystem }> = [
  { file: 'requirements.txt', ecosystem: 'python' },
  { file: 'scripts/requirements.txt', ecosystem: 'python' },
  { file: 'tools/requirements.txt', ecosystem: 'python' },
  { file: 'package.json', ecosystem: 'node' },
  { file: 'scripts/package.json', ecosystem: 'node' },
]

interface Scanner {
  name: string
  args(manifest: string): string[]
  findings(report: unknown): Finding[]
}

const SCANNERS: Readonly<Record<Ecosystem, readonly Scanner[]>> = {
  python: [
    { name: 'snyk', args: (m) => ['test', `--file=${m}`, '--json'], findings: snykFindings },
    {
      name: 'pip-audit',
      args: (m) => ['-r', m, '--format', 'json', '--progress-spinner', 'off'],
      findings: pipAuditFindings,
    },
  ],
  node: [{ name: 'npm', args: () => ['audit', '--json'], findings: npmAuditFindings }],
}

/** The scan of one manifest. */
export interface ScanReport {
  manifest: string
  scanner: string
  findings: Finding[]
  error?: string
}

async function onPath(command: string, path: string | undefined): Promise<string | undefined> {
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command)
    try {
      await access(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/** Runs a scanner; exit 0 and 1 (findings) are answers, anything else without JSON on stdout is an error. */
function runScanner(
  program: string,
  args: string[],
  cwd: string,
  settings: DependencyScanSettings,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      {
        cwd,
        timeout: settings.timeoutMs ?? 120_000,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...(settings.env ?? process.env) } as NodeJS.ProcessEnv,
      },
      (err, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout))
        } catch {
          const why = err?.killed
            ? 'timed out'
            : (stderr.trim().split('\n').at(-1) ?? err?.message ?? 'no JSON output')
          reject(new Error(maskSecrets(why || 'no JSON output')))
        }
      },
    )
  })
}

/**
 * Scans skills' dependency manifests (`requirements.txt` with snyk or pip-audit, `package.json` with `npm audit`)
 * when a scanner is on PATH. A result is kept per manifest content, so a reload that did not touch a manifest does
 * not scan it again. Every scan is audited.
 */
export class DependencyScanner {
  readonly #settings: DependencyScanSettings
  readonly #audit: (event: SkillAuditEvent) => void
  readonly #cache = new Map<string, ScanReport>()

  constructor(settings: DependencyScanSettings, audit: (event: SkillAuditEvent) => void) {
    this.#settings = settings
    this.#audit = audit
  }

  /** The problems of skill `skill` in `dir`: an error refuses the skill (block mode), warnings let it load. */
  async scan(skill: string, dir: string): Promise<{ problems: SkillProblem[]; reports: ScanReport[] }> {
    const problems: SkillProblem[] = []
    const reports: ScanReport[] = []
    if (this.#settings.mode === 'off') return { problems, reports }
    const block = this.#settings.mode === 'block'
    const done = new Set<Ecosystem>()
    for (const { file, ecosystem } of MANIFESTS) {
      if (done.has(ecosystem)) continue
      let content: Buffer
      try {
        content = await readFile(join(dir, file))
      } catch {
        continue
      }
      done.add(ecosystem)
      const report = await this.#scanManifest(skill, dir, file, ecosystem, content)
      reports.push(report)
      const severe = report.findings.filter(isSevere)
      if (report.scanner === 'none') {
        const refuse = block && !this.#settings.failOpenIfNoScanner
        const names = SCANNERS[ecosystem].map((s) => s.name).join(' or ')
        problems.push(
          skillProblem(
            refuse ? 'error' : 'warning',
            skill,
            file,
            refuse
              ? `refused: no scanner (${names}) on PATH and security_scan.fail_open_if_no_scanner is false.`
              : `not scanned: no scanner (${names}) on PATH.`,
          ),
        )
      } else if (report.error) {
        problems.push(
          skillProblem('warning', skill, file, `scan failed [${report.scanner}]: ${report.error}`),
        )
      } else if (severe.length > 0) {
        const what = `${severe.length} critical/high vulnerabilit${severe.length === 1 ? 'y' : 'ies'} [${report.scanner}]: ${summariseFindings(severe)}`
        problems.push(
          skillProblem(block ? 'error' : 'warning', skill, file, block ? `refused: ${what}` : what),
        )
      }
    }
    return { problems, reports }
  }

  async #scanManifest(
    skill: string,
    dir: string,
    file: string,
    ecosystem: Ecosystem,
    content: Buffer,
  ): Promise<ScanReport> {
    const key = `${join(dir, file)}\n${createHash('sha256').update(content).digest('hex')}`
    const cached = this.#cache.get(key)
    if (cached) return cached
    let report: ScanReport = { manifest: file, scanner: 'none', findings: [] }
    for (const scanner of SCANNERS[ecosystem]) {
      const program = await onPath(scanner.name, (this.#settings.env ?? process.env).PATH)
      if (!program) continue
      const manifest = join(dir, file)
      try {
        const raw = await runScanner(program, scanner.args(manifest), dirname(manifest), this.#settings)
        report = { manifest: file, scanner: scanner.name, findings: scanner.findings(raw) }
      } catch (err) {
        report = { manifest: file, scanner: scanner.name, findings: [], error: (err as Error).message }
      }
      break
    }
    this.#auditReport(skill, report)
    // An answer is kept; a failed scan, or none for want of a scanner, is tried again at the next load.
    if (!report.error && report.scanner !== 'none') this.#cache.set(key, report)
    return report
  }

  #auditReport(skill: string, report: ScanReport): void {
    const severe = report.findings.filter(isSevere)
    const outcome = report.scanner === 'none' ? 'skipped' : severe.length > 0 ? 'vulnerable' : 'clean'
    this.#audit({
      event_type: 'security_scan',
      action: 'skill.security_scan',
      resource: skill,
      outcome,
      manifest: report.manifest,
      scanner: report.scanner,
      mode: this.#settings.mode,
      critical: report.findings.filter((f) => f.severity === 'critical').length,
      high: report.findings.filter((f) => f.severity === 'high').length,
      total: report.findings.length,
      ...(report.scanner === 'none' ? { reason: 'no_scanner_in_path' } : {}),
      ...(report.error ? { scan_error: report.error } : {}),
    })
  }
}
