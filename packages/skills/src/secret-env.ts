/**
 * Keeping credentials away from skill code: secret variables are removed from `process.env` while a JS skill module's
 * top level runs, and scripts start with an environment built from a short allow-list.
 */

/** Variables the upstream runtime removed while skill code loaded; kept whatever their names look like. */
const NAMED_SECRETS = new Set([
  'CLAUDE_CODE_OAUTH_TOKEN',
  'ANTHROPIC_API_KEY',
  'OPENAI_API_KEY',
  'WORKSPACE_AUTH_TOKEN',
  'MOLECULE_WORKSPACE_TOKEN',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'AUDIT_LEDGER_SALT',
])

/** Names that hold credentials by convention: `*_API_KEY`, `*_KEY`, `*_TOKEN`, `*_SECRET`, `*_PASSWORD` … */
const SECRET_NAME =
  /(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|SALT|AUTH|COOKIE|SESSION)$/i

export function isSecretEnvName(name: string): boolean {
  return NAMED_SECRETS.has(name.toUpperCase()) || SECRET_NAME.test(name)
}

let loading: Promise<unknown> = Promise.resolve()

/**
 * Runs `load` (an `import()` of skill code) with every secret variable removed from `process.env`, and puts them
 * back afterwards. Loads run one at a time, so two loads never see each other's half-restored environment. Code the
 * module schedules for later (timers, tool calls) runs with the environment restored.
 */
export function withoutSecretEnv<T>(load: () => Promise<T>): Promise<T> {
  const run = loading.then(async () => {
    const removed = new Map<string, string>()
    for (const [name, value] of Object.entries(process.env)) {
      if (value !== undefined && isSecretEnvName(name)) {
        removed.set(name, value)
        delete process.env[name]
      }
    }
    try {
      return await load()
    } finally {
      for (const [name, value] of removed) process.env[name] = value
    }
  })
  loading = run.catch(() => undefined)
  return run
}

/** What a script may see of the runtime's environment: where programs are, who and where it runs, the locale. */
const SCRIPT_ENV_ALLOWED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'TERM',
])

/**
 * The environment of a script tool: the allow-listed variables of `env` (and `LC_*`), never a secret-named one,
 * plus `extra` (the skill's own variables).
 */
export function scriptEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isSecretEnvName(name)) continue
    if (SCRIPT_ENV_ALLOWED.has(name) || name.startsWith('LC_')) out[name] = value
  }
  return { ...out, ...extra }
}
