// Rewriting version pins of @molecule packages in a template repository's files, touching nothing but the pins: the
// rest of each file stays byte for byte as it was.

const SEMVER = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?`
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']

/**
 * New text of a package.json with each released @molecule dependency set to its new version, keeping the range
 * operator it had (`^1.2.0` -> `^1.3.0`, `~`, exact); `workspace:`/`file:`/tags are left alone. Returns the text and
 * the bumps `{ name, from, to, where }`.
 */
export function rewritePackageJson(text, released) {
  const manifest = JSON.parse(text)
  const bumps = []
  let out = text
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      const version = released.get(name)
      const match = new RegExp(`^([\\^~]?)(${SEMVER})$`).exec(range)
      if (!version || !match || match[2] === version) continue
      const next = `${match[1]}${version}`
      // The exact `"name": "range"` text of this entry; only its range changes.
      const entry = new RegExp(`("${escapeRegExp(name)}"\\s*:\\s*")${escapeRegExp(range)}(")`)
      out = out.replace(entry, `$1${next}$2`)
      bumps.push({ name, from: range, to: next, where: `package.json ${field}` })
    }
  }
  return { text: out, bumps }
}

/**
 * New text of a Dockerfile with each `@molecule/<name>@<version>` pin inside a RUN instruction (continuation lines
 * included) set to the released version: `npm install -g @molecule/runtime@X`, `pnpm add @molecule/adapter-core@X`.
 * Comments and other instructions are not touched.
 */
export function rewriteDockerfile(text, released) {
  const lines = text.split('\n')
  const bumps = []
  let inRun = false
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const trimmed = line.trimStart()
    const startsRun = /^RUN\b/i.test(trimmed)
    if (!inRun && !startsRun) continue
    if (!trimmed.startsWith('#')) {
      lines[i] = line.replace(
        new RegExp(`(@molecule/[a-z0-9._-]+)@(${SEMVER})(?![0-9A-Za-z.+-])`, 'g'),
        (whole, name, from) => {
          const to = released.get(name)
          if (!to || to === from) return whole
          bumps.push({ name, from, to, where: `Dockerfile line ${i + 1}` })
          return `${name}@${to}`
        },
      )
    }
    inRun = line.trimEnd().endsWith('\\')
  }
  return { text: lines.join('\n'), bumps }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}
