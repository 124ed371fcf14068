import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DependencyScanner, describeProblem, loadSkill, type SkillAuditEvent } from '../src/index.js'
import { skillMd, skillsTree } from './fixtures.js'

let tree: Awaited<ReturnType<typeof skillsTree>>
beforeEach(async () => {
  tree = await skillsTree()
  await tree.write('deps/SKILL.md', skillMd('description: Has dependencies.'))
  await tree.write('deps/requirements.txt', 'requests==2.0.0\n')
})
afterEach(() => tree.cleanup())

/** A stand-in `pip-audit` on PATH that reports one high finding (a real scanner needs the network). */
async function fakePipAudit(): Promise<string> {
  const report = {
    dependencies: [
      { name: 'requests', version: '2.0.0', vulns: [{ id: 'GHSA-fake-0001', description: 'bad' }] },
    ],
  }
  await tree.write('bin/pip-audit', `#!/bin/sh\necho '${JSON.stringify(report)}'\nexit 1\n`, 0o755)
  return join(tree.root, 'bin')
}

describe('dependency scan', () => {
  it('block refuses a skill with a high finding; warn loads it with a warning; each scan is audited', async () => {
    const bin = await fakePipAudit()
    const audit: SkillAuditEvent[] = []
    const scan = (mode: 'warn' | 'block') =>
      new DependencyScanner({ mode, failOpenIfNoScanner: true, env: { PATH: bin } }, (e) => audit.push(e))
    const blocked = await loadSkill(join(tree.root, 'deps'), { scanner: scan('block') })
    expect(blocked.skill).toBeUndefined()
    expect(blocked.problems.map(describeProblem)).toContain(
      'deps/requirements.txt: refused: 1 critical/high vulnerability [pip-audit]: GHSA-fake-0001 (high) in requests@2.0.0',
    )
    const warned = await loadSkill(join(tree.root, 'deps'), { scanner: scan('warn') })
    expect(warned.skill?.id).toBe('deps')
    expect(warned.problems[0]).toMatchObject({ level: 'warning', file: 'requirements.txt' })
    expect(audit[0]).toMatchObject({
      event_type: 'security_scan',
      action: 'skill.security_scan',
      resource: 'deps',
      outcome: 'vulnerable',
      scanner: 'pip-audit',
      high: 1,
    })
  })

  it('no scanner on PATH: loads unless block with fail_open_if_no_scanner false', async () => {
    const scanner = (failOpen: boolean) =>
      new DependencyScanner(
        { mode: 'block', failOpenIfNoScanner: failOpen, env: { PATH: join(tree.root, 'none') } },
        () => {},
      )
    expect((await loadSkill(join(tree.root, 'deps'), { scanner: scanner(true) })).skill?.id).toBe('deps')
    const refused = await loadSkill(join(tree.root, 'deps'), { scanner: scanner(false) })
    expect(refused.skill).toBeUndefined()
    expect(refused.problems.map(describeProblem).join('\n')).toMatch(/fail_open_if_no_scanner is false/)
  })
})
