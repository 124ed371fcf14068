/** Characters the form encoding leaves as they are (the URL standard's application/x-www-form-urlencoded set). */
const FORM_SAFE = /^[A-Za-z0-9*._-]*$/

/**
 * One query key or value exactly as `URLSearchParams` writes it. Ids, numbers and names — nearly every value the
 * client sends — pass through untouched without building a `URLSearchParams` per request.
 */
export function formEncode(value: string): string {
  if (FORM_SAFE.test(value)) return value
  return new URLSearchParams([['', value]]).toString().slice(1)
}
