import { findExecutable, SYSTEM_BIN_DIRS } from './find-executable.js'
import { LANGUAGES, type Language } from './types.js'

/** How one language runs: the file the code is written to, and the interpreter that runs it. */
export interface LanguageSpec {
  fileName: string
  /** Absolute interpreter path on this machine, or undefined when it is not installed. */
  interpreter(): string | undefined
  /** What to install when the interpreter is missing. */
  install: string
}

const SPECS: Record<Language, LanguageSpec> = {
  python: {
    fileName: 'main.py',
    interpreter: () => findExecutable('python3', SYSTEM_BIN_DIRS),
    install: 'python3 (Debian: apt-get install python3)',
  },
  // The runtime's own node: the same version the workspace image ships.
  javascript: { fileName: 'main.js', interpreter: () => process.execPath, install: 'node' },
  shell: {
    fileName: 'main.sh',
    interpreter: () => findExecutable('sh', SYSTEM_BIN_DIRS),
    install: 'a POSIX sh (Debian: dash)',
  },
  bash: {
    fileName: 'main.sh',
    interpreter: () => findExecutable('bash', SYSTEM_BIN_DIRS),
    install: 'bash (Debian: apt-get install bash)',
  },
}

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value)
}

export function languageSpec(language: Language): LanguageSpec {
  return SPECS[language]
}
