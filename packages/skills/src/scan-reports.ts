/** One known vulnerability in a skill's dependency. */
export interface Finding {
  id: string
  package: string
  version: string
  /** Lower case: critical, high, medium, low (a finding without one counts as high, to be safe). */
  severity: string
  title: string
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const str = (value: unknown, fallback = ''): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback

/** `snyk test --json`: `vulnerabilities[]` with id, packageName, version, severity, title. */
export function snykFindings(report: unknown): Finding[] {
  if (isMap(report) && typeof report.error === 'string') throw new TypeError(report.error)
  const list = isMap(report) && Array.isArray(report.vulnerabilities) ? report.vulnerabilities : undefined
  if (!list) throw new TypeError('no "vulnerabilities" list in the snyk report')
  return list.filter(isMap).map((v) => ({
    id: str(v.id, 'unknown'),
    package: str(v.packageName, str(v.name, '?')),
    version: str(v.version, '?'),
    severity: str(v.severity, 'high').toLowerCase(),
    title: str(v.title).slice(0, 200),
  }))
}

/** `pip-audit --format json`: `{dependencies: [{name, version, vulns: [{id, description}]}]}` or the bare list. */
export function pipAuditFindings(report: unknown): Finding[] {
  const deps = Array.isArray(report) ? report : isMap(report) ? report.dependencies : undefined
  if (!Array.isArray(deps)) throw new TypeError('no "dependencies" list in the pip-audit report')
  const out: Finding[] = []
  for (const dep of deps.filter(isMap)) {
    for (const vuln of Array.isArray(dep.vulns) ? dep.vulns.filter(isMap) : []) {
      out.push({
        id: str(vuln.id, 'unknown'),
        package: str(dep.name, '?'),
        version: str(dep.version, '?'),
        severity: str(vuln.severity, 'high').toLowerCase(),
        title: str(vuln.description).slice(0, 200),
      })
    }
  }
  return out
}

/** `npm audit --json` (v7+): `vulnerabilities: {name: {severity, range, via: [advisory | name]}}`; an `error` fails. */
export function npmAuditFindings(report: unknown): Finding[] {
  if (!isMap(report)) throw new TypeError('the npm audit report is not a JSON object')
  if (isMap(report.error))
    throw new TypeError(str(report.error.summary, str(report.error.code, 'npm audit failed')))
  if (!isMap(report.vulnerabilities)) throw new TypeError('no "vulnerabilities" map in the npm audit report')
  const out: Finding[] = []
  for (const [name, entry] of Object.entries(report.vulnerabilities)) {
    if (!isMap(entry)) continue
    const advisory = Array.isArray(entry.via) ? entry.via.find(isMap) : undefined
    // Entries vulnerable only through another package repeat that package's advisory: count the advisory once.
    if (!advisory) continue
    out.push({
      id: str(advisory.url, str(advisory.source, 'unknown')),
      package: str(entry.name, name),
      version: str(entry.range, '?'),
      severity: str(entry.severity, str(advisory.severity, 'high')).toLowerCase(),
      title: str(advisory.title).slice(0, 200),
    })
  }
  return out
}

export function isSevere(finding: Finding): boolean {
  return finding.severity === 'critical' || finding.severity === 'high'
}

/** `GHSA-x (high) in requests@2.0`, the first five, then `… and N more`. */
export function summariseFindings(findings: readonly Finding[]): string {
  const shown = findings.slice(0, 5).map((f) => `${f.id} (${f.severity}) in ${f.package}@${f.version}`)
  const more = findings.length > 5 ? ` … and ${findings.length - 5} more` : ''
  return `${shown.join(', ')}${more}`
}
