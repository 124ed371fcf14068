import { CENSOR, maskSecrets } from '@molecule/core'

type Env = Record<string, string | undefined>

/** Every token value in the environment, also from a `MOLECULE_WORKSPACES` that is not valid JSON. */
export function tokensIn(env: Env): string[] {
  const tokens: string[] = []
  const single = env.MOLECULE_WORKSPACE_TOKEN?.trim()
  if (single) tokens.push(single)
  const multi = env.MOLECULE_WORKSPACES ?? ''
  for (const match of multi.matchAll(/"(?:workspace_)?token"\s*:\s*"((?:[^"\\]|\\.)*)"?/g)) {
    const token = match[1]?.trim()
    if (token) tokens.push(token)
  }
  return tokens
}

/** Shortest piece of a token that a message may not contain. */
const TOKEN_PIECE = 6

/**
 * A problem as it may be shown: `maskSecrets` with the configured tokens as known secrets, then every run of 6 or
 * more characters that also occurs in one of them (a token pasted in part) replaced as well.
 */
export function shownProblem(text: string, tokens: readonly string[]): string {
  const masked = maskSecrets(text, tokens)
  const hidden = new Array<boolean>(masked.length).fill(false)
  for (let i = 0; i + TOKEN_PIECE <= masked.length; i++) {
    const piece = masked.slice(i, i + TOKEN_PIECE)
    if (tokens.some((token) => token.includes(piece))) hidden.fill(true, i, i + TOKEN_PIECE)
  }
  let out = ''
  for (let i = 0; i < masked.length; i++) {
    if (!hidden[i]) out += masked[i]
    else if (!hidden[i - 1]) out += CENSOR
  }
  return out
}
