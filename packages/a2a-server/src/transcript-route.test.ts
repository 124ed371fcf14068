import { describe, expect, it } from 'vitest'
import { parseTranscriptQuery, transcriptAuthorized } from './transcript-route.js'

describe('transcript auth and query', () => {
  it('fails closed and requires the exact bearer header', () => {
    expect(transcriptAuthorized(undefined, 'Bearer x')).toBe(false)
    expect(transcriptAuthorized('', 'Bearer ')).toBe(false)
    expect(transcriptAuthorized('tok', undefined)).toBe(false)
    expect(transcriptAuthorized('tok', 'bearer tok')).toBe(false)
    expect(transcriptAuthorized('tok', 'Bearer  tok')).toBe(false)
    expect(transcriptAuthorized('tok', 'Bearer tok')).toBe(true)
  })

  it('validates integers and clamps', () => {
    expect(parseTranscriptQuery(undefined, undefined)).toEqual({ since: 0, limit: 100 })
    expect(parseTranscriptQuery('-5', '999999')).toEqual({ since: 0, limit: 1000 })
    expect(parseTranscriptQuery('3', '0')).toEqual({ since: 3, limit: 1 })
    expect(parseTranscriptQuery('1.5', '10')).toBeUndefined()
    expect(parseTranscriptQuery('0', 'abc')).toBeUndefined()
  })
})
