import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { isFile } from './files.js'

export const SETUP_SCRIPT = 'setup.sh'
export const DEFAULT_SETUP_TIMEOUT_MS = 120_000

/**
 * Runs a plugin's `setup.sh` with bash in the plugin folder, `CONFIGS_DIR` set to the configs dir. Never throws:
 * a non-zero exit or a timeout comes back as a warning (the first 200 characters of stderr); undefined is success or
 * no script.
 */
export async function runSetupScript(
  pluginRoot: string,
  configsDir: string,
  timeoutMs = DEFAULT_SETUP_TIMEOUT_MS,
): Promise<string | undefined> {
  const script = join(pluginRoot, SETUP_SCRIPT)
  if (!(await isFile(script))) return undefined
  return new Promise((resolve) => {
    const child = spawn('bash', [script], {
      cwd: pluginRoot,
      env: { ...process.env, CONFIGS_DIR: configsDir },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    })
    let stderr = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk
    })
    // The whole process group goes on a timeout: a script's own children must not outlive it.
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
      resolve(`${SETUP_SCRIPT} timed out (${timeoutMs / 1000}s)`)
    }, timeoutMs)
    child.on('error', (err) => {
      clearTimeout(timer)
      resolve(`${SETUP_SCRIPT} could not run: ${err.message}`)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve(code === 0 ? undefined : `${SETUP_SCRIPT} exited ${code}: ${stderr.trim().slice(0, 200)}`)
    })
  })
}
