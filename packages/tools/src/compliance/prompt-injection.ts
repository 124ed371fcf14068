/** One match of the prompt-injection detector: the matched text (at most 80 characters) and its family. */
export interface InjectionHit {
  snippet: string
  category: InjectionCategory
}

export type InjectionCategory =
  | 'instruction_override'
  | 'role_hijack'
  | 'delimiter_injection'
  | 'jailbreak'
  | 'prompt_exfiltration'

/** The phrase families of OWASP Agentic OA-01, matched case-insensitively. */
const FAMILIES: ReadonlyArray<readonly [InjectionCategory, readonly RegExp[]]> = [
  [
    'instruction_override',
    [
      /\bignore\s+(?:all\s+)?previous\s+instructions?\b/gi,
      /\bdisregard\s+(?:all\s+)?previous\b/gi,
      /\bforget\s+(?:all\s+)?previous\b/gi,
      /\boverride\s+(?:your\s+)?(?:instructions|guidelines|rules)\b/gi,
    ],
  ],
  [
    'role_hijack',
    [
      /\byou\s+are\s+now\s+\w+/gi,
      /\bact\s+as\s+(?:an?\s+)?(?:new|different|unrestricted)\b/gi,
      /\broleplay\s+as\b/gi,
      /\bpretend\s+(?:you\s+are|to\s+be)\b/gi,
      /\bfrom\s+now\s+on\s+(?:you\s+are|act\s+as)\b/gi,
    ],
  ],
  [
    'delimiter_injection',
    [/<\|?(?:system|im_start|im_end|endoftext)\|?>/gi, /\[\/?INST\]/gi, /\[\[\/?SYS\]\]/gi, /<<\/?SYS>>/gi],
  ],
  [
    'jailbreak',
    [
      /\bDAN\b.{0,30}?\b(?:mode|now|enabled|activated)\b/gi,
      /\bdo\s+anything\s+now\b/gi,
      /\bjailbreak/gi,
      /\bdeveloper\s+mode\s+(?:enabled|on)\b/gi,
    ],
  ],
  [
    'prompt_exfiltration',
    [
      /\b(?:repeat|print|output|show|reveal|display)\s+(?:your\s+)?(?:system\s+prompt|initial\s+instructions?)\b/gi,
      /\bwhat\s+(?:are\s+)?your\s+(?:instructions|system\s+prompt)\b/gi,
    ],
  ],
]

const PATTERNS = FAMILIES.flatMap(([category, patterns]) =>
  patterns.map((pattern) => ({ category, pattern })),
)

/**
 * Matches wherever any family's pattern does. Almost every inbound text is clean, and one scan of it is cheaper than
 * nineteen, so the per-pattern scans below run only after this one found something.
 */
const ANY_PATTERN = new RegExp(PATTERNS.map(({ pattern }) => `(?:${pattern.source})`).join('|'), 'i')

/** Every match in `text`, family by family; empty for clean text. */
export function detectPromptInjection(text: string): InjectionHit[] {
  if (!ANY_PATTERN.test(text)) return []
  const hits: InjectionHit[] = []
  for (const { category, pattern } of PATTERNS) {
    // exec on the shared global pattern: `matchAll` would clone the RegExp on every call. Synchronous, so the
    // shared `lastIndex` cannot be disturbed; no pattern matches the empty string, so every step advances.
    pattern.lastIndex = 0
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      hits.push({ snippet: match[0].slice(0, 80), category })
    }
  }
  return hits
}
