/** `YYYY-MM-DD HH:MM:SS.ffffff` (UTC), the text a SQLite `DATETIME` column holds; sorts as it reads. */
export function microsToSqlText(micros: number): string {
  const date = new Date(Math.floor(micros / 1000))
  const fraction = String(micros % 1_000_000).padStart(6, '0')
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}.${fraction}`
}

/** Reads the SQLite text back (also without fraction, or with a `T` and an offset or `Z`, as other writers store). */
export function sqlTextToMicros(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?/.exec(text)
  if (!match) throw new Error(`unreadable timestamp '${text}'`)
  const seconds = Date.parse(`${match[1]}T${match[2]}Z`)
  let micros = seconds * 1000 + Number((match[3] ?? '').padEnd(6, '0'))
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(text.slice(19))
  if (offset)
    micros -= (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000_000
  return micros
}
