#!/usr/bin/env node
// Fails when added lines (or, with --all, tracked files) contain credential-shaped strings.
// Used by CI (.gitea/workflows/ci.yml, .ci/run) and by developers before pushing:
//   node tooling/scripts/secret-scan.mjs                 # working tree + index vs HEAD
//   node tooling/scripts/secret-scan.mjs --base <ref>    # everything added since <ref>
//   node tooling/scripts/secret-scan.mjs --all           # every tracked file
// A line that must hold a fake credential (a redaction test) carries the marker `secret-scan: allow`.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

export const RULES = [
  { name: 'private key block', re: /-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY-----/ },
  { name: 'AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/ },
  { name: 'Slack token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/ },
  { name: 'Anthropic API key', re: /\bsk-ant-[A-Za-z0-9_-]{20,}/ },
  { name: 'OpenAI-style API key', re: /\bsk-(?:proj-)?[A-Za-z0-9]{32,}\b/ },
  { name: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  {
    name: 'hard-coded secret assignment',
    re: /\b(?:api[_-]?key|secret|passw(?:or)?d|auth[_-]?token|access[_-]?token)\b["']?\s*[:=]\s*["'][A-Za-z0-9+/_-]{24,}["']/i,
  },
]

const ALLOW_MARKER = 'secret-scan: allow'

/** Returns the findings of one file's lines; `lines` are `{ file, line, text }`. */
export function scanLines(lines) {
  const findings = []
  for (const entry of lines) {
    if (entry.text.includes(ALLOW_MARKER)) continue
    for (const rule of RULES) {
      if (rule.re.test(entry.text)) findings.push({ ...entry, rule: rule.name })
    }
  }
  return findings
}

/** Parses `git diff -U0` output into the added lines with their file and line number. */
export function addedLinesFromDiff(diff) {
  const out = []
  let file = ''
  let lineNo = 0
  for (const raw of diff.split('\n')) {
    if (raw.startsWith('+++ ')) {
      file = raw.slice(4).replace(/^b\//, '')
    } else if (raw.startsWith('@@')) {
      const m = /\+(\d+)/.exec(raw)
      lineNo = m ? Number(m[1]) : 0
    } else if (raw.startsWith('+')) {
      out.push({ file, line: lineNo, text: raw.slice(1) })
      lineNo++
    }
  }
  return out
}

function git(args) {
  return execFileSync('git', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
}

function collect(argv) {
  const baseIdx = argv.indexOf('--base')
  if (argv.includes('--all')) {
    const files = git(['ls-files', '-z']).split('\0').filter(Boolean)
    const lines = []
    for (const file of files) {
      if (file === 'pnpm-lock.yaml') continue
      let text
      try {
        text = readFileSync(file, 'utf8')
      } catch {
        continue
      }
      if (text.includes('\0')) continue // binary
      for (const [i, t] of text.split('\n').entries()) lines.push({ file, line: i + 1, text: t })
    }
    return lines
  }
  const range = baseIdx >= 0 ? [`${argv[baseIdx + 1]}...HEAD`] : ['HEAD']
  const diff = git(['diff', '-U0', '--no-color', ...range, '--', '.', ':!pnpm-lock.yaml'])
  const staged =
    baseIdx >= 0 ? '' : git(['diff', '-U0', '--no-color', '--cached', '--', '.', ':!pnpm-lock.yaml'])
  return addedLinesFromDiff(`${diff}\n${staged}`)
}

function main() {
  const argv = process.argv.slice(2)
  if (argv.includes('--help')) {
    console.log('usage: secret-scan [--all | --base <git-ref>]')
    return
  }
  const lines = collect(argv)
  const findings = scanLines(lines)
  if (findings.length === 0) {
    console.log(`secret-scan: ${lines.length} lines checked, no credential-shaped strings`)
    return
  }
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.rule}`)
  console.error(
    `secret-scan: ${findings.length} finding(s). Remove the credential (and rotate it if it was real), ` +
      `or, for a deliberate fake in a test, add the comment "${ALLOW_MARKER}" on that line.`,
  )
  process.exitCode = 1
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main()
