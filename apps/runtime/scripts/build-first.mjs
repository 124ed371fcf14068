// `pnpm dev` / `pnpm demo`: build what molecule-runtime needs with turbo, then run it. A first build takes about a
// minute on a small machine, so this says what is happening before turbo starts and shows the output of every task
// that really builds (cached tasks stay quiet).
import { spawn } from 'node:child_process'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const repoBin = join(appDir, '..', '..', 'node_modules', '.bin')
const args = process.argv.slice(2)

/** Runs a command with inherited stdio; resolves with its exit code (1 when it could not start). */
function run(command, commandArgs, env) {
  return new Promise((done) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', env })
    child.once('error', (err) => {
      process.stderr.write(`molecule: could not start ${command}: ${err.message}\n`)
      done(1)
    })
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)))
  })
}

process.stdout.write(
  'molecule: building @molecule/runtime and the packages it needs (turbo). The first build takes about a minute on a small machine; later runs are cached and start in seconds.\n',
)
// turbo from the repository's node_modules, after anything earlier on PATH.
const env = { ...process.env, PATH: [process.env.PATH, repoBin].filter(Boolean).join(delimiter) }
const built = await run(
  'turbo',
  ['run', 'build', '--filter=@molecule/runtime...', '--output-logs=new-only'],
  env,
)
if (built !== 0) {
  process.stderr.write('molecule: the build failed (see above); molecule-runtime was not started.\n')
  process.exit(built)
}
process.exit(await run(process.execPath, [join(appDir, 'bin', 'molecule-runtime.js'), ...args], process.env))
