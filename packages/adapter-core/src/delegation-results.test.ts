import { access, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readDelegationResults } from './delegation-results.js'

const gone = (path: string) =>
  access(path).then(
    () => false,
    () => true,
  )

describe('readDelegationResults', () => {
  it('renders each result, consumes the file, and skips blank and invalid lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deleg-'))
    const file = join(dir, 'results.jsonl')
    await writeFile(
      file,
      [
        JSON.stringify({
          delegation_id: 'a',
          status: 'completed',
          summary: 'numbers',
          response_preview: 'x'.repeat(250),
        }),
        '',
        'not json',
        JSON.stringify({ delegation_id: 'b', summary: 'no status' }),
      ].join('\n'),
    )
    expect(await readDelegationResults(file)).toBe(
      `- [completed] numbers\n  Response: ${'x'.repeat(200)}\n- [?] no status`,
    )
    expect(await gone(file)).toBe(true)
    expect(await gone(`${file}.consumed`)).toBe(true)
    expect(await readDelegationResults(file)).toBe('')
  })
})
