import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const SCRIPT = path.resolve(import.meta.dirname, '../cascade-templates.mjs')
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@x',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@x',
    },
  }).trim()

/** A template repository made for the test: `files` committed on main. */
function templateRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'molecule-template-'))
  dirs.push(dir)
  git(dir, 'init', '-q', '-b', 'main')
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'template')
  return dir
}

function cascade(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@x',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@x',
    },
  })
}

// What `changeset publish` printed for the release the templates must follow.
const published = path.join(mkdtempSync(path.join(tmpdir(), 'molecule-published-')), 'publish.txt')
dirs.push(path.dirname(published))
writeFileSync(
  published,
  '🦋  info npm info @molecule/runtime\n🦋  success packages published successfully:\n🦋  @molecule/adapter-core@0.4.0\n🦋  @molecule/runtime@0.3.2\n🦋  Creating git tag...\n',
)

const PACKAGE_JSON = `{
  "name": "template-claude-code",
  "version": "2.0.0",
  "dependencies": {
    "@molecule/adapter-core": "^0.1.0",
    "left-pad":   "1.3.0"
  },
  "devDependencies": {
    "@molecule/runtime": "0.1.0",
    "@molecule/not-released": "^9.9.9"
  }
}
`

const DOCKERFILE = `FROM node:20-slim
# Pinned on every release: @molecule/runtime@0.1.0 (this comment stays as it is)
RUN npm install -g @molecule/runtime@0.1.0 \\
    && pnpm add @molecule/adapter-core@0.1.0 other@1.0.0
ENV MOLECULE_VERSION=@molecule/runtime@0.1.0
COPY . /app
`

describe('cascade-templates', () => {
  const npmRepo = templateRepo({ 'package.json': PACKAGE_JSON, 'README.md': 'hello\n' })
  const dockerRepo = templateRepo({ Dockerfile: DOCKERFILE })

  it('--check exits 1 while the templates are behind, and writes nothing', () => {
    const result = cascade('--check', '--published', published, npmRepo, dockerRepo)
    expect(result.status).toBe(1)
    expect(result.stdout).toContain('@molecule/adapter-core ^0.1.0 -> ^0.4.0')
    expect(readFileSync(path.join(npmRepo, 'package.json'), 'utf8')).toBe(PACKAGE_JSON)
  })

  it('a dry run (the default) prints the changes and the description, and writes nothing', () => {
    const result = cascade('--published', published, npmRepo, dockerRepo)
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('dry run')
    expect(result.stdout).toContain('### @molecule/runtime → 0.3.2')
    expect(git(npmRepo, 'status', '--porcelain')).toBe('')
    expect(git(dockerRepo, 'branch', '--list', 'molecule-release-*')).toBe('')
  })

  it('--apply rewrites only the pins, commits on molecule-release-<date>, and --check is then satisfied', () => {
    const result = cascade('--apply', '--date', '2026-12-07', '--published', published, npmRepo, dockerRepo)
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('committed on branch molecule-release-2026-12-07')

    expect(git(npmRepo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('molecule-release-2026-12-07')
    expect(readFileSync(path.join(npmRepo, 'package.json'), 'utf8')).toBe(
      PACKAGE_JSON.replace('"^0.1.0"', '"^0.4.0"').replace(
        '"@molecule/runtime": "0.1.0"',
        '"@molecule/runtime": "0.3.2"',
      ),
    )
    expect(git(npmRepo, 'log', '-1', '--format=%s')).toContain('@molecule/adapter-core@0.4.0')
    expect(git(npmRepo, 'status', '--porcelain')).toBe('')

    expect(readFileSync(path.join(dockerRepo, 'Dockerfile'), 'utf8')).toBe(
      DOCKERFILE.replace(
        'npm install -g @molecule/runtime@0.1.0',
        'npm install -g @molecule/runtime@0.3.2',
      ).replace('pnpm add @molecule/adapter-core@0.1.0', 'pnpm add @molecule/adapter-core@0.4.0'),
    )
    // Only the two pinned files changed in the commits.
    expect(git(npmRepo, 'diff', '--name-only', 'main', 'HEAD')).toBe('package.json')
    expect(git(dockerRepo, 'diff', '--name-only', 'main', 'HEAD')).toBe('Dockerfile')

    const after = cascade('--check', '--published', published, npmRepo, dockerRepo)
    expect(after.status).toBe(0)
    expect(after.stdout).toContain('up to date')
  })

  it('--apply refuses a repository whose pinned files have uncommitted edits, and leaves them as they are', () => {
    const repo = templateRepo({ 'package.json': PACKAGE_JSON })
    const edited = PACKAGE_JSON.replace('"2.0.0"', '"2.1.0"')
    writeFileSync(path.join(repo, 'package.json'), edited)
    const result = cascade('--apply', '--published', published, repo)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('uncommitted changes in the files to rewrite')
    expect(readFileSync(path.join(repo, 'package.json'), 'utf8')).toBe(edited)
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main')
  })

  it('refuses bad arguments with a usage line, exit 2', () => {
    expect(cascade().status).toBe(2)
    const both = cascade('--apply', '--check', npmRepo)
    expect(both.status).toBe(2)
    expect(both.stderr).toContain('--apply and --check exclude each other')
  })
})
