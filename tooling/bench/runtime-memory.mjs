#!/usr/bin/env node
// Memory of the `molecule-runtime` PROCESS (echo adapter, registered with a dev platform in its own process), and the
// bounds that keep it flat:
//   1. RSS across N completed `message/send` tasks (default 100,000) after a warm-up with the same load;
//   2. the store's byte budget: 200 messages of ~1 MB with `a2a.max_store_bytes: 16 MiB` — RSS growth next to it;
//   3. the part cap: a part over `a2a.max_part_bytes` is refused, and a body over 1 MiB gets 413;
//   4. the concurrency cap: 300 connections at once against `max_concurrent_tasks: 64`, `max_queued_tasks: 256`.
// RSS is read from /proc (no forced GC: what the process really holds).
// Usage: node runtime-memory.mjs [--tasks 100000]
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { load, messageSendRequest, probe } from './a2a-load.mjs'
import { processRssBytes, servePlatform, spawnPlatform, spawnRuntime } from './product-processes.mjs'

const { values } = parseArgs({
  options: { platform: { type: 'boolean', default: false }, tasks: { type: 'string', default: '100000' } },
})

const MiB = 1024 * 1024
const mb = (bytes) => (bytes / MiB).toFixed(1)

if (values.platform) await servePlatform()
else await main()

async function main() {
  const platform = await spawnPlatform(fileURLToPath(import.meta.url))
  try {
    await steadyState(platform.url, Number(values.tasks))
    await storeBudget(platform.url)
  } finally {
    platform.stop()
  }
}

async function steadyState(platformUrl, tasks) {
  const runtime = await spawnRuntime(platformUrl)
  try {
    await probe(runtime.port, 'probe')
    await load(runtime.port, { connections: 20, seconds: 3 }) // the same load shape first: V8 and allocator settle
    const before = processRssBytes(runtime.pid)
    let done = 0
    const t0 = performance.now()
    // Short slices until N tasks completed; bounded in time whatever the machine does.
    while (done < tasks && performance.now() - t0 < 120_000) {
      done += (await load(runtime.port, { connections: 20, seconds: 0.5 })).requests
    }
    const after = processRssBytes(runtime.pid)
    console.log(
      `1. ${done} tasks in ${((performance.now() - t0) / 1000).toFixed(1)} s: RSS ${mb(before)} -> ${mb(after)} MB, growth ${mb(after - before)} MB   (target <= 50 MB)`,
    )
  } finally {
    await runtime.stop()
  }
}

async function storeBudget(platformUrl) {
  const budget = 16 * MiB
  const runtime = await spawnRuntime(platformUrl, {
    a2a: `  max_store_bytes: ${budget}\n  max_part_bytes: 1048576\n  max_concurrent_tasks: 64\n  max_queued_tasks: 256\n`,
  })
  const url = `http://127.0.0.1:${runtime.port}/`
  const send = (text) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: messageSendRequest(text).toString().split('\r\n\r\n')[1],
    })
  try {
    await probe(runtime.port, 'probe')
    const before = processRssBytes(runtime.pid)
    const big = 'x'.repeat(1_000_000)
    let stored = 0
    for (let i = 0; i < 200; i += 4) {
      const answers = await Promise.all([0, 1, 2, 3].map((k) => send(`${i + k} ${big}`)))
      for (const a of answers) if (a.ok && !(await a.json()).error) stored++
    }
    const after = processRssBytes(runtime.pid)
    console.log(
      `2. 200 messages of 1 MB (${stored} answered) with a store budget of ${mb(budget)} MiB: RSS ${mb(before)} -> ${mb(after)} MB, growth ${mb(after - before)} MB (unbounded it would hold ~200 MB of text twice: history and reply)`,
    )

    const tooBigPart = await (await send('y'.repeat(1_048_577 - 200))).json()
    const overBody = await send('z'.repeat(1_100_000))
    const partLimited = await spawnRuntime(platformUrl)
    const defaultPart = await (
      await fetch(`http://127.0.0.1:${partLimited.port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: messageSendRequest('p'.repeat(300_000)).toString().split('\r\n\r\n')[1],
      })
    ).json()
    await partLimited.stop()
    console.log(
      `3. part cap: a 300 KB part against the default 256 KiB -> ${defaultPart.error?.code ?? 'accepted'} (${defaultPart.error?.message ?? ''}); body over 1 MiB -> HTTP ${overBody.status}; a part near 1 MiB under max_part_bytes 1 MiB -> ${tooBigPart.error?.code ?? 'accepted'}`,
    )

    const flood = await load(runtime.port, { connections: 300, seconds: 3 })
    console.log(
      `4. 300 connections at once (64 running + 256 queued allowed): ${flood.requests} answered, ${flood.errors} refused busy or failed, p99 ${flood.p99.toFixed(1)} ms; RSS now ${mb(processRssBytes(runtime.pid))} MB`,
    )
  } finally {
    await runtime.stop()
  }
}
