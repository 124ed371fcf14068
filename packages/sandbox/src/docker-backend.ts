import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chmodSync } from 'node:fs'
import { finishRun } from './finish-run.js'
import { languageSpec } from './languages.js'
import { runProcess } from './run-process.js'
import type { Backend, Language, RunCodeResult, SandboxLimits } from './types.js'
import { createWorkDir } from './work-dir.js'

const IMAGES: Record<Language, { image: string; command: string[] }> = {
  python: { image: 'python:3.11-slim', command: ['python3'] },
  javascript: { image: 'node:20-slim', command: ['node'] },
  shell: { image: 'alpine:3.18', command: ['sh'] },
  bash: { image: 'alpine:3.18', command: ['sh'] },
}

/**
 * One throwaway container per call: no network, read-only root with a small /tmp, memory, CPU and process limits,
 * the code mounted read-only, run as `nobody`. At the timeout the container itself is removed (killing the docker
 * client alone would leave it running).
 */
export class DockerBackend implements Backend {
  readonly name = 'docker' as const

  constructor(private readonly dockerPath: string) {}

  async run(
    code: string,
    language: Language,
    limits: SandboxLimits,
    signal?: AbortSignal,
  ): Promise<RunCodeResult> {
    const spec = languageSpec(language)
    const { image, command } = IMAGES[language]
    const work = createWorkDir(spec.fileName, code, {})
    chmodSync(work.path, 0o755)
    chmodSync(work.codeFile, 0o644)
    const name = `molecule-sandbox-${randomUUID()}`
    try {
      const args = [
        'run',
        '--rm',
        '--name',
        name,
        '--network',
        'none',
        '--memory',
        String(limits.memoryBytes),
        '--cpus',
        '0.5',
        '--pids-limit',
        String(limits.maxProcesses),
        '--ulimit',
        `fsize=${limits.maxFileBytes}`,
        '--read-only',
        '--tmpfs',
        '/tmp:size=32m',
        '--user',
        '65534:65534',
        '--workdir',
        '/tmp',
        '-v',
        `${work.codeFile}:/sandbox/${spec.fileName}:ro`,
        image,
        ...command,
        `/sandbox/${spec.fileName}`,
      ]
      const outcome = await runProcess(
        { command: this.dockerPath, args, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
        limits.timeoutSeconds * 1000,
        limits.maxOutputChars,
        signal,
      )
      if (outcome.timedOut)
        spawn(this.dockerPath, ['rm', '-f', name], { stdio: 'ignore' }).on('error', () => {})
      const result = finishRun(outcome, language, 'docker', limits.timeoutSeconds)
      return 'error' in result ? result : { ...result, image }
    } finally {
      work.remove()
    }
  }
}
