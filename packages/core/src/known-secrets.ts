/**
 * The secrets this process holds (its workspace tokens, the platform's inbound secret, API keys from its
 * environment), so `maskSecrets` can replace them wherever they turn up, whatever they look like. The set lives on
 * `globalThis` under a `Symbol.for` key: every copy of this module in the process (two installed versions, a
 * bundle next to a dependency) shares it.
 */
const REGISTRY_KEY = Symbol.for('@molecule/core.known-secrets')

/** Shorter values are ignored: they would also match ordinary words and ids. */
export const MIN_KNOWN_SECRET_LENGTH = 8

/** Environment variables whose values are remembered by `rememberEnvSecrets`. */
const SECRET_VARIABLE = /(?:^|_)(?:API_KEY|TOKEN|SECRET)$/i
/** Only long values of those variables: a short one (`GITHUB_TOKEN=changeme`) is a placeholder, not a key. */
const MIN_ENV_SECRET_LENGTH = 16

function registry(): Set<string> {
  const holder = globalThis as { [REGISTRY_KEY]?: Set<string> }
  holder[REGISTRY_KEY] ??= new Set<string>()
  return holder[REGISTRY_KEY]
}

/**
 * Adds `value` (trimmed) to the process's known secrets; from then on `maskSecrets` replaces it in every text.
 * Blank values and values shorter than 8 characters are ignored.
 */
export function rememberSecret(value: string | null | undefined): void {
  const secret = value?.trim()
  if (secret && secret.length >= MIN_KNOWN_SECRET_LENGTH) registry().add(secret)
}

/**
 * Remembers the values of `*_API_KEY`, `*_TOKEN` and `*_SECRET` variables that are 16 characters or longer.
 * Programs call it once at start with their environment.
 */
export function rememberEnvSecrets(env: Readonly<Record<string, string | undefined>>): void {
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && SECRET_VARIABLE.test(name) && value.trim().length >= MIN_ENV_SECRET_LENGTH) {
      rememberSecret(value)
    }
  }
}

let ordered: { size: number; secrets: readonly string[] } = { size: 0, secrets: [] }

/** The known secrets, longest first (so a secret that contains another is replaced whole). */
export function knownSecrets(): readonly string[] {
  const set = registry()
  // The set only grows, so its size tells whether the sorted copy is current.
  if (ordered.size !== set.size)
    ordered = { size: set.size, secrets: [...set].sort((a, b) => b.length - a.length) }
  return ordered.secrets
}
