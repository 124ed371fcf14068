import { realpath } from 'node:fs/promises'
import { basename, isAbsolute, relative, resolve } from 'node:path'
import type { Message } from './a2a/v03.js'

/** The workspace mount as URIs name it (`workspace:/workspace/...`); mapped onto the real workspace directory. */
const MOUNT = '/workspace'

export interface AttachedFile {
  name: string
  /** `""` when the sender gave none. */
  mimeType: string
  /** Absolute path inside the workspace directory. */
  path: string
}

/**
 * Resolves an attachment URI from a message onto the workspace directory. Accepts `workspace:/workspace/...` (canonical), `file:///workspace/...`
 * (legacy) and bare `/workspace/...`, maps the `/workspace` mount onto `workspaceDir`, resolves `..` and
 * symlinks, and answers the path only when the file exists inside the workspace; undefined otherwise.
 */
export async function resolveAttachmentUri(uri: string, workspaceDir = MOUNT): Promise<string | undefined> {
  let raw: string
  if (uri.startsWith('workspace:')) raw = uri.slice('workspace:'.length)
  else if (uri.startsWith('file://')) raw = uri.slice('file://'.length)
  else raw = uri
  try {
    raw = decodeURI(raw)
  } catch {
    return undefined
  }
  if (!raw.startsWith('/')) return undefined
  const logical = resolve(raw)
  if (logical !== MOUNT && !logical.startsWith(`${MOUNT}/`)) return undefined
  try {
    const root = await realpath(workspaceDir)
    const real = await realpath(resolve(root, `.${logical.slice(MOUNT.length)}`))
    const rel = relative(root, real)
    if (rel.startsWith('..') || isAbsolute(rel)) return undefined
    return real
  } catch {
    return undefined
  }
}

/** The message's file parts that resolve to existing workspace files, in order. */
export async function attachedFiles(
  message: Pick<Message, 'parts'>,
  workspaceDir = MOUNT,
): Promise<AttachedFile[]> {
  const out: AttachedFile[] = []
  for (const part of message.parts) {
    if (part.kind !== 'file' || !('uri' in part.file) || typeof part.file.uri !== 'string') continue
    const path = await resolveAttachmentUri(part.file.uri, workspaceDir)
    if (path === undefined) continue
    out.push({ name: part.file.name || basename(path), mimeType: part.file.mimeType ?? '', path })
  }
  return out
}

/**
 * The manifest appended to the input text before the executor sees it: `\n\nAttached files:` and one
 * `- <name> (<mime or "unknown type">) at <path>` line per file; `""` without files.
 */
export function attachmentManifest(files: readonly AttachedFile[]): string {
  if (files.length === 0) return ''
  const lines = files.map((f) => `- ${f.name} (${f.mimeType || 'unknown type'}) at ${f.path}`)
  return `\n\nAttached files:\n${lines.join('\n')}`
}
