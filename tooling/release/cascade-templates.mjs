#!/usr/bin/env node
// Brings template repositories up to the @molecule versions just released.
//
//   node tooling/release/cascade-templates.mjs [--apply | --check] [--published <file>] <template-repo>...
//
// Released versions come from the text `changeset publish` printed (`--published <file>`: every `@molecule/x@1.2.3`
// in it), else from the workspace's package.json files. In each template repository, @molecule pins in package.json
// dependencies and in Dockerfile RUN lines (`npm install -g @molecule/runtime@X`, `pnpm add …@X`) are rewritten;
// nothing else in those files changes.
//   (default)  dry run: print what would change and the pull-request description; write nothing
//   --apply    write the changes, commit them on a new branch `molecule-release-<date>` in each repository, print
//              the pull-request description (changelog lines of each bumped package)
//   --check    write nothing; exit 1 when a template is behind (for the template's own CI)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { changelogLines } from './src/changelog.mjs'
import { rewriteDockerfile, rewritePackageJson } from './src/pins.mjs'
import { run } from './src/run.mjs'
import { publicPackagesInOrder } from './src/workspace-packages.mjs'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    apply: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    published: { type: 'string' },
    date: { type: 'string' },
  },
})

function usage(message) {
  process.stderr.write(
    `cascade-templates: ${message}\nusage: cascade-templates [--apply | --check] [--published <file>] <template-repo>...\n`,
  )
  process.exit(2)
}

if (positionals.length === 0) usage('name at least one template repository directory')
if (values.apply && values.check) usage('--apply and --check exclude each other')

/** Released name -> version. */
function releasedVersions() {
  if (values.published) {
    if (!existsSync(values.published)) usage(`--published ${values.published}: no such file`)
    const text = readFileSync(values.published, 'utf8')
    const released = new Map()
    for (const m of text.matchAll(/(@molecule\/[a-z0-9._-]+)@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/g))
      released.set(m[1], m[2])
    if (released.size === 0) usage(`--published ${values.published}: no @molecule/<name>@<version> in it`)
    return released
  }
  return new Map(publicPackagesInOrder().map((p) => [p.name, p.version]))
}

/** The files of a template that carry pins: package.json at the root and every Dockerfile up to two levels down. */
function pinnedFiles(repo) {
  const files = []
  if (existsSync(path.join(repo, 'package.json'))) files.push('package.json')
  const visit = (dir, depth) => {
    for (const entry of readdirSync(path.join(repo, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name)
      if (entry.isDirectory() && depth < 2 && !['node_modules', '.git'].includes(entry.name))
        visit(rel, depth + 1)
      else if (entry.isFile() && /^Dockerfile(\..+)?$/.test(entry.name)) files.push(rel)
    }
  }
  visit('.', 0)
  return files
}

const released = releasedVersions()
const date = values.date ?? new Date().toISOString().slice(0, 10)
const branch = `molecule-release-${date}`
let behind = 0
let failed = 0

for (const repo of positionals) {
  if (!existsSync(repo)) {
    process.stderr.write(`${repo}: no such directory\n`)
    failed++
    continue
  }
  const changes = []
  for (const rel of pinnedFiles(repo)) {
    const file = path.join(repo, rel)
    const text = readFileSync(file, 'utf8')
    const result = rel.endsWith('package.json')
      ? rewritePackageJson(text, released)
      : rewriteDockerfile(text, released)
    if (result.bumps.length)
      changes.push({
        rel,
        file,
        text: result.text,
        bumps: result.bumps.map((b) => ({ ...b, where: `${rel}: ${b.where}` })),
      })
  }
  const bumps = changes.flatMap((c) => c.bumps)
  behind += bumps.length
  if (bumps.length === 0) {
    console.log(`${repo}: up to date`)
    continue
  }
  for (const b of bumps) console.log(`${repo}: ${b.where}: ${b.name} ${b.from} -> ${b.to}`)
  if (values.check) continue
  const description = pullRequestDescription(bumps)
  if (!values.apply) {
    console.log(`${repo}: dry run — nothing written. Pull request description:\n${description}`)
    continue
  }
  try {
    // Never mix someone's unfinished edits into the release commit.
    const dirty = (
      await run('git', ['status', '--porcelain', '--', ...changes.map((c) => c.rel)], { cwd: repo })
    ).trim()
    if (dirty)
      throw new Error(`uncommitted changes in the files to rewrite; commit or stash them first:\n${dirty}`)
    await run('git', ['checkout', '-b', branch], { cwd: repo })
    for (const c of changes) writeFileSync(c.file, c.text)
    await run('git', ['add', ...changes.map((c) => c.rel)], { cwd: repo })
    await run(
      'git',
      [
        'commit',
        '-m',
        `Molecule release ${date}: ${[...new Set(bumps.map((b) => `${b.name}@${b.to.replace(/^[\^~]/, '')}`))].join(', ')}`,
      ],
      {
        cwd: repo,
      },
    )
    console.log(`${repo}: committed on branch ${branch}. Pull request description:\n${description}`)
  } catch (err) {
    process.stderr.write(`${repo}: ${err.message}\n`)
    failed++
  }
}

if (failed) process.exit(1)
if (values.check && behind > 0) {
  process.stderr.write(`cascade-templates: ${behind} pin(s) behind the released versions\n`)
  process.exit(1)
}

function pullRequestDescription(bumps) {
  const lines = [`## Molecule release ${date}`, '']
  const byPackage = new Map()
  for (const b of bumps) byPackage.set(b.name, [...(byPackage.get(b.name) ?? []), b])
  for (const [name, list] of byPackage) {
    const to = list[0].to.replace(/^[\^~]/, '')
    lines.push(`### ${name} → ${to}`, ...list.map((b) => `- ${b.where}: \`${b.from}\` → \`${b.to}\``))
    const notes = changelogLines(name, to)
    lines.push(...(notes.length ? ['', ...notes] : ['', '_(no changelog entry found for this version)_']), '')
  }
  return lines.join('\n')
}
