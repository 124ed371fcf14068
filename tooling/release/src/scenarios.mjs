// The two ways people install Molecule, done in empty directories against the local registry: an operator installing
// the bridge globally, and a template author building an adapter on adapter-core and running it with the runtime.
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { startDevPlatform } from '@molecule/dev-platform'
import { run } from './run.mjs'
import { publicPackagesInOrder } from './workspace-packages.mjs'

const versionOf = (name) => publicPackagesInOrder().find((p) => p.name === name)?.version

/**
 * Runs `<bin> doctor` for a fresh external workspace of a dev platform started for the purpose; throws with its output
 * when it printed no checks or failed.
 */
export async function doctorPassesAgainstDevPlatform(bin, { work, env, name }) {
  const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  try {
    const ws = await platform.createWorkspace({ name, external: true, mint_token: true })
    const configs = path.join(work, `${name.toLowerCase()}-configs`)
    mkdirSync(configs, { recursive: true })
    const doctor = await run(bin, ['doctor'], {
      cwd: work,
      env: {
        ...env,
        PLATFORM_URL: platform.url,
        WORKSPACE_ID: ws.id,
        MOLECULE_WORKSPACE_TOKEN: ws.token,
        CONFIGS_DIR: configs,
      },
      timeoutMs: 60_000,
    })
    if (!/heartbeat/i.test(doctor)) throw new Error(`doctor printed no checks:\n${doctor}`)
  } finally {
    await platform.close()
  }
}

/** Package names in `npm ls --parseable` output (one install path per line). */
function installedNames(parseable) {
  return parseable
    .split('\n')
    .filter((line) => line.includes('node_modules/'))
    .map((line) => line.slice(line.lastIndexOf('node_modules/') + 'node_modules/'.length))
}

export async function operatorScenario({ work, env }) {
  const prefix = path.join(work, 'operator-prefix')
  mkdirSync(prefix, { recursive: true })
  return {
    async run() {
      await run(
        'npm',
        ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '@molecule/mcp-bridge'],
        {
          cwd: work,
          env,
        },
      )
      const bin = path.join(prefix, 'bin', 'molecule-mcp')
      const help = await run(bin, ['--help'], { cwd: work, env })
      if (!help.includes('MOLECULE_WORKSPACES')) throw new Error(`--help printed no usage:\n${help}`)
      const version = (await run(bin, ['--version'], { cwd: work, env })).trim()
      if (version !== versionOf('@molecule/mcp-bridge'))
        throw new Error(`--version printed ${version}, the package is ${versionOf('@molecule/mcp-bridge')}`)
      await doctorPassesAgainstDevPlatform(bin, { work, env, name: 'Operator' })
      return `molecule-mcp ${version}, doctor passed against a dev platform`
    },
    async closureWithout(forbidden) {
      const listing = await run(
        'npm',
        ['ls', '-g', '--prefix', prefix, '--all', '--parseable', '--omit=dev'],
        {
          cwd: work,
          env,
        },
      )
      const names = installedNames(listing)
      const bad = forbidden.filter((name) => names.includes(name))
      if (bad.length) throw new Error(`the installed closure contains ${bad.join(', ')}`)
      return `${names.length - 1} packages besides the bridge`
    },
  }
}

const ADAPTER = `import { defineAdapter } from '@molecule/adapter-core'

// The smallest real template: an executor that answers every message.
export default defineAdapter({
  name: 'smoke',
  createExecutor: () => async (ctx) => \`smoke says: \${ctx.text}\`,
})
`

export async function templateAuthorScenario({ work, env }) {
  const project = path.join(work, 'template')
  mkdirSync(project, { recursive: true })
  writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'smoke-template', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  )
  let adapterCoreClosure
  return {
    async run() {
      await run('npm', ['install', '--no-audit', '--no-fund', '@molecule/adapter-core'], {
        cwd: project,
        env,
      })
      adapterCoreClosure = installedNames(
        await run('npm', ['ls', '--all', '--parseable', '--omit=dev'], { cwd: project, env }),
      ).filter((name) => name !== '@molecule/adapter-core')
      writeFileSync(path.join(project, 'adapter.mjs'), ADAPTER)
      await run('npm', ['install', '--no-audit', '--no-fund', '@molecule/runtime'], { cwd: project, env })
      const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
      try {
        const ws = await platform.createWorkspace({ name: 'Smoke' })
        const configs = path.join(project, 'configs')
        mkdirSync(configs, { recursive: true })
        writeFileSync(path.join(configs, 'config.yaml'), 'name: Smoke\nruntime: smoke\n')
        const reply = await serveAndAsk(
          path.join(project, 'node_modules', '.bin', 'molecule-runtime'),
          project,
          {
            ...env,
            WORKSPACE_ID: ws.id,
            WORKSPACE_CONFIG_PATH: configs,
            CONFIGS_DIR: configs,
            PLATFORM_URL: platform.url,
            ADAPTER_MODULE: './adapter.mjs',
            HOSTNAME: '127.0.0.1',
            MOLECULE_A2A_HOST: '127.0.0.1',
            MOLECULE_A2A_PORT: '0',
            MOLECULE_WORKSPACE_DIR: path.join(project, 'workspace'),
          },
        )
        if (reply !== 'smoke says: hello from the smoke test')
          throw new Error(`the adapter answered ${JSON.stringify(reply)}`)
      } finally {
        await platform.close()
      }
      return 'the installed runtime registered and answered through its adapter'
    },
    adapterCoreClosureIs(expected) {
      if (adapterCoreClosure === undefined)
        throw new Error('the template scenario did not install adapter-core')
      if (adapterCoreClosure.sort().join() !== [...expected].sort().join())
        throw new Error(`closure is [${adapterCoreClosure.join(', ')}], expected [${expected.join(', ')}]`)
      return adapterCoreClosure.join(', ')
    },
  }
}

/** Starts the installed runtime, waits for `registered`, sends one A2A message, stops it; resolves with the reply. */
async function serveAndAsk(bin, cwd, env) {
  const child = spawn(bin, [], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "registered" line within 30 s:\n${stderr.slice(-3000)}`)),
        30_000,
      )
      child.stderr.on('data', (chunk) => {
        stderr += chunk
        const found = /"url":"(http:\/\/[^"]+)"/.exec(
          stderr.split('\n').find((line) => line.includes('"A2A server listening"')) ?? '',
        )?.[1]
        if (found && /"msg":"registered"/.test(stderr)) {
          clearTimeout(timer)
          resolve(found)
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`the runtime exited (${code}) before registering:\n${stderr.slice(-3000)}`))
      })
    })
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'message/send',
        params: {
          message: {
            role: 'user',
            messageId: 'smoke-1',
            parts: [{ kind: 'text', text: 'hello from the smoke test' }],
          },
        },
      }),
    })
    const body = await res.json()
    return body?.result?.parts?.[0]?.text ?? JSON.stringify(body)
  } finally {
    child.kill('SIGTERM')
  }
}
