// Checks that the durable state files a SIGKILL or a full disk may have hit are whole: absent, or valid.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const TOKEN = /^[A-Za-z0-9_-]{20,200}$/

/** Names of state files in `dir` that are present but not whole (a torn token, cursor or snapshot). */
export function corruptStateFiles(dir) {
  if (!existsSync(dir)) return []
  const bad = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    let text
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      continue
    }
    if (name === '.auth_token' && !TOKEN.test(text)) bad.push(name)
    if (name === '.auth_token.workspace_id' && !/^[0-9a-f-]{36}$/.test(text.trim())) bad.push(name)
    if (name.endsWith('.json')) {
      try {
        JSON.parse(text)
      } catch {
        bad.push(name)
      }
    }
  }
  return bad
}

/** Temp files an atomic write left behind (`.<name>.<pid>.<random>.tmp`). */
export function leftoverTempFiles(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.tmp')) : []
}
