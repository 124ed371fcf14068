// A throwaway npm registry for installing the packages exactly as users do: verdaccio on 127.0.0.1, its storage in a
// temp dir, @molecule/* served only from what we publish, everything else proxied to the public registry.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort } from '@molecule/test-support'

const VERDACCIO = path.resolve(import.meta.dirname, '../node_modules/.bin/verdaccio')

function config({ storage, htpasswd, port }) {
  return `storage: ${storage}
auth:
  htpasswd:
    file: ${htpasswd}
    max_users: 1
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
packages:
  '@molecule/*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
listen: 127.0.0.1:${port}
log: { type: stdout, format: json, level: error }
`
}

/**
 * Starts the registry; resolves with `{ url, userconfig, stop() }`. `userconfig` is an npmrc that maps the @molecule
 * scope to it and carries a token of a user made for this run — exactly the two lines a user adds for a private
 * registry (`NPM_CONFIG_USERCONFIG` points npm and pnpm at it).
 */
export async function startLocalRegistry() {
  const dir = mkdtempSync(path.join(tmpdir(), 'molecule-registry-'))
  const port = await freePort()
  const file = path.join(dir, 'config.yaml')
  writeFileSync(
    file,
    config({ storage: path.join(dir, 'storage'), htpasswd: path.join(dir, 'htpasswd'), port }),
  )
  const child = spawn(VERDACCIO, ['--config', file], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (c) => (output = (output + c).slice(-4000)))
  child.stderr.on('data', (c) => (output = (output + c).slice(-4000)))
  const url = `http://127.0.0.1:${port}/`
  const stop = () => {
    child.kill()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const deadline = Date.now() + 30_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${output}`)
      const ok = await fetch(`${url}-/ping`).then(
        (r) => r.ok,
        () => false,
      )
      if (ok) break
      if (Date.now() > deadline) throw new Error(`verdaccio did not answer within 30 s:\n${output}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    const user = `release-${process.pid}`
    const res = await fetch(`${url}-/user/org.couchdb.user:${user}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: user, password: `pw-${process.pid}-${Date.now()}`, type: 'user' }),
    })
    const { token } = await res.json()
    if (!token) throw new Error(`verdaccio made no user (HTTP ${res.status})`)
    const userconfig = path.join(dir, 'npmrc')
    writeFileSync(userconfig, `@molecule:registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`)
    return { url, userconfig, stop }
  } catch (err) {
    stop()
    throw err
  }
}
