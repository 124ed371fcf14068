// A full disk under the token, cursor and snapshot writes: each fails with a clear message and leaves nothing torn.
// Uses a small tmpfs filled to the last byte when this process may mount one (root); otherwise a file-size limit of
// 0 on the child (`ulimit -f 0`: every write fails with EFBIG), which exercises the same failure paths.
import { execFileSync } from 'node:child_process'
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { startDevPlatform } from '@molecule/dev-platform'
import { sleep, spawnBridge, spawnRuntime, tempDir } from './lib/processes.mjs'
import { hasStackTrace, row } from './lib/report.mjs'
import { corruptStateFiles, leftoverTempFiles } from './lib/state-files.mjs'
import { sendToInbox } from './lib/traffic.mjs'
import { ECHO_CONFIG } from './platform-faults.mjs'

/** A directory whose disk is full, holding `files`; `release()` undoes it. */
function fullDisk(files) {
  const dir = tempDir('chaos-disk-')
  try {
    // CHAOS_DISK_FULL=ulimit takes the non-root path on a machine that could mount.
    if (process.env.CHAOS_DISK_FULL === 'ulimit') throw new Error('file-size limit requested')
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', dir], { stdio: 'ignore' })
  } catch {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
    return { dir, how: 'ulimit -f 0', wrap: 'ulimit -f 0', release() {} }
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  const fd = openSync(join(dir, 'filler'), 'w')
  const block = Buffer.alloc(4096, 1)
  try {
    for (let i = 0; i < 1000; i++) writeSync(fd, block)
  } catch {
    // ENOSPC: full
  }
  try {
    for (let i = 0; i < 4096; i++) writeSync(fd, block.subarray(0, 1))
  } catch {
    // the last bytes are taken too
  }
  closeSync(fd)
  return {
    dir,
    how: 'tmpfs 256 KiB, filled',
    wrap: undefined,
    release: () => execFileSync('umount', ['-l', dir], { stdio: 'ignore' }),
  }
}

const CLEAR = /ENOSPC|EFBIG|no space|file too large|Could not write/i

export async function diskFull() {
  const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  const rows = []
  try {
    // Token and snapshot: a fresh workspace mints its token at register; SIGTERM writes the snapshot.
    const ws = await platform.createWorkspace({ name: 'Disk full' })
    const disk = fullDisk({ 'config.yaml': ECHO_CONFIG, 'system-prompt.md': 'You echo.' })
    const runtime = spawnRuntime({
      workspaceId: ws.id,
      platformUrl: platform.url,
      dir: disk.dir,
      wrap: disk.wrap,
    })
    const end = Date.now() + 20_000
    const tokenLine = (l) => /token/i.test(l.msg ?? '') && CLEAR.test(`${l.msg} ${l.err ?? ''}`)
    while (!runtime.lines().some(tokenLine) && Date.now() < end) {
      if (!runtime.alive()) break
      await sleep(50)
    }
    const online = Date.now() + 10_000
    while (platform.state.get(ws.id)?.status !== 'online' && Date.now() < online) await sleep(50)
    const servedWithoutFile = platform.state.get(ws.id)?.status === 'online' && runtime.alive()
    const stopped = await runtime.stop('SIGTERM')
    const log = runtime.stderr.text
    const tokenMessage = runtime.lines().some(tokenLine)
    const snapshotMessage = runtime
      .lines()
      .some((l) => l.msg === 'pre-stop snapshot could not be written' && CLEAR.test(String(l.err)))
    const torn = [...corruptStateFiles(disk.dir), ...leftoverTempFiles(disk.dir)]
    const name = `disk full (${disk.how})`
    rows.push(
      row(name, 'token write: clear error', tokenMessage ? 'yes' : 'no', 'yes', tokenMessage),
      row(
        name,
        'runtime keeps serving with the token in memory',
        servedWithoutFile ? 'yes' : 'no',
        'yes',
        servedWithoutFile,
      ),
      row(
        name,
        'snapshot write: clear warning, exit 0',
        `${snapshotMessage ? 'yes' : 'no'}, exit ${stopped.code}`,
        'yes, exit 0',
        snapshotMessage && stopped.code === 0,
      ),
      row(name, 'torn files / temp files left', torn.length, '0', torn.length === 0),
      row(name, 'stack traces (runtime)', hasStackTrace(log) ? 1 : 0, '0', !hasStackTrace(log)),
    )
    disk.release()

    // Cursor: the bridge acknowledges a message on a full disk.
    const inbox = await platform.createWorkspace({
      name: 'Disk full inbox',
      external: true,
      mint_token: true,
      delivery_mode: 'poll',
    })
    const bridgeDisk = fullDisk({})
    const bridge = spawnBridge(
      {
        PLATFORM_URL: platform.url,
        WORKSPACE_ID: inbox.id,
        MOLECULE_WORKSPACE_TOKEN: inbox.token,
        CONFIGS_DIR: bridgeDisk.dir,
        MOLECULE_MCP_POLL_INTERVAL_MS: '200',
      },
      { wrap: bridgeDisk.wrap },
    )
    await bridge.initialize()
    await sendToInbox(platform.url, inbox.id, 'ack me on a full disk')
    let popped = { text: '' }
    for (let i = 0; i < 50; i++) {
      const peek = JSON.parse((await bridge.call('inbox_peek', {})).text || '[]')
      if (peek.length > 0) {
        popped = await bridge.call('inbox_pop', { activity_id: peek[0].activity_id })
        break
      }
      await sleep(200)
    }
    await sleep(300)
    const alive = bridge.alive()
    await bridge.stop()
    const said = CLEAR.test(popped.text) || CLEAR.test(bridge.stderr.text)
    const bridgeTorn = [...corruptStateFiles(bridgeDisk.dir), ...leftoverTempFiles(bridgeDisk.dir)]
    const bridgeName = `disk full, cursor write (${bridgeDisk.how})`
    rows.push(
      row(
        bridgeName,
        'cursor write: clear error, bridge alive',
        `${said ? 'yes' : 'no'}, ${alive ? 'alive' : 'exited'}`,
        'yes, alive',
        said && alive,
      ),
      row(bridgeName, 'torn files / temp files left', bridgeTorn.length, '0', bridgeTorn.length === 0),
      row(
        bridgeName,
        'stack traces (bridge)',
        hasStackTrace(bridge.stderr.text + popped.text) ? 1 : 0,
        '0',
        !hasStackTrace(bridge.stderr.text + popped.text),
      ),
    )
    bridgeDisk.release()
  } finally {
    await platform.close()
  }
  return rows
}
