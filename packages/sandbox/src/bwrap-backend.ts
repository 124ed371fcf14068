import { lstatSync, readlinkSync } from 'node:fs'
import { dirname } from 'node:path'
import { findExecutable } from './find-executable.js'
import { runLimited } from './limited-run.js'
import { runProcess } from './run-process.js'
import { SandboxError } from './sandbox-error.js'
import { sandboxUser } from './sandbox-user.js'
import type { Backend, Language, RunCodeResult, SandboxLimits } from './types.js'

const TOP_LEVEL_SYSTEM_DIRS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']
/** The few files of /etc dynamic linking and interpreters read; the rest of /etc stays out of sight. */
const ETC_FILES = [
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/localtime',
]
const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin'

/** Mounts of the system: /usr read-only, the merged-/usr symlinks (or read-only binds), the node install. */
function systemMounts(): string[] {
  const args = ['--ro-bind', '/usr', '/usr']
  for (const dir of TOP_LEVEL_SYSTEM_DIRS) {
    let isLink = false
    try {
      isLink = lstatSync(dir).isSymbolicLink()
    } catch {
      continue
    }
    args.push(...(isLink ? ['--symlink', readlinkSync(dir), dir] : ['--ro-bind', dir, dir]))
  }
  for (const file of ETC_FILES) args.push('--ro-bind-try', file, file)
  // The runtime's node may live outside /usr (nvm, a tarball): its install prefix, read-only.
  const nodePrefix = dirname(dirname(process.execPath))
  if (!process.execPath.startsWith('/usr/')) args.push('--ro-bind', nodePrefix, nodePrefix)
  return args
}

function namespaceArgs(): string[] {
  return [
    '--unshare-user',
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    '--setenv',
    'PATH',
    SANDBOX_PATH,
    '--setenv',
    'HOME',
    '/work',
    '--setenv',
    'TMPDIR',
    '/tmp',
    '--setenv',
    'LANG',
    'C.UTF-8',
  ]
}

/**
 * Code runs in fresh user, pid, network, ipc and uts namespaces: the system read-only, an empty root with a
 * private tmpfs `/work` as cwd and `/tmp`, no network but its own loopback, no environment beyond a minimal PATH,
 * and none of the runtime's files (configs dir, token file, workspace) mounted.
 */
export class BwrapBackend implements Backend {
  readonly name = 'bwrap' as const
  #probe: Promise<void> | undefined

  constructor(private readonly bwrapPath: string) {}

  /** Checks once that the kernel lets bwrap create its namespaces here, so code never runs unsandboxed silently. */
  probe(limits: SandboxLimits): Promise<void> {
    this.#probe ??= this.#runProbe(limits)
    return this.#probe
  }

  async #runProbe(limits: SandboxLimits): Promise<void> {
    const user = sandboxUser(limits.maxProcesses)
    const outcome = await runProcess(
      {
        command: this.bwrapPath,
        args: [...namespaceArgs(), ...systemMounts(), '--proc', '/proc', '--', '/bin/sh', '-c', 'exit 0'],
        env: { PATH: SANDBOX_PATH },
        ...user,
      },
      10_000,
      2_000,
    )
    if (outcome.exitCode === 0) return
    const why = (outcome.stderr || outcome.spawnError?.message || 'no output').trim()
    throw new SandboxError(
      'SANDBOX_UNAVAILABLE',
      `bwrap cannot create the sandbox's namespaces here: ${why}`,
      {
        path: this.bwrapPath,
        fix: 'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0; in a container, a seccomp/AppArmor profile that permits them), or set SANDBOX_BACKEND=subprocess to accept running code without isolation.',
      },
    )
  }

  run(code: string, language: Language, limits: SandboxLimits, signal?: AbortSignal): Promise<RunCodeResult> {
    const scratch = String(Math.max(limits.maxFileBytes * 4, 1024 ** 2))
    return runLimited(
      'bwrap',
      { code, language, limits, signal },
      (spec, interpreter, work) => ({
        args: [
          this.bwrapPath,
          ...namespaceArgs(),
          ...systemMounts(),
          '--proc',
          '/proc',
          '--dev',
          '/dev',
          '--size',
          scratch,
          '--tmpfs',
          '/tmp',
          '--size',
          scratch,
          '--tmpfs',
          '/work',
          '--ro-bind',
          work.codeFile,
          `/code/${spec.fileName}`,
          '--chdir',
          '/work',
          '--',
          interpreter,
          `/code/${spec.fileName}`,
        ],
        env: { PATH: SANDBOX_PATH },
      }),
      () => this.probe(limits),
    )
  }
}

/** The `bwrap` on PATH, or undefined. */
export function findBwrap(): string | undefined {
  return findExecutable('bwrap')
}
