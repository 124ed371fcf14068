// Running the tools a release uses (npm, pnpm, node programs) as child processes: output captured, a bounded time,
// a failure that says which command failed and what it printed.
import { execFile } from 'node:child_process'

/**
 * Runs `command args` in `cwd`; resolves with its stdout. Rejects with an Error naming the command, its exit code and
 * the tail of its output when it fails or runs past `timeoutMs`.
 */
export function run(command, args, { cwd, env = process.env, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout)
        const shown = `${command} ${args.join(' ')}`
        const why = err.killed
          ? `did not finish within ${timeoutMs} ms`
          : `exited with ${err.code ?? err.signal}`
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-25).join('\n')
        reject(new Error(`${shown} (in ${cwd}) ${why}:\n${tail}`))
      },
    )
  })
}
