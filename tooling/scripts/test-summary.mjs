#!/usr/bin/env node
// Sums the "Tests  N passed | M failed" lines that each package's vitest prints under turbo,
// and prints one closing line: "tests: N passed, M failed".
import { readFileSync } from 'node:fs'

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colour codes
const ansi = /\u001b\[[0-9;]*m/g
const file = process.argv[2]
if (!file) {
  console.error('usage: test-summary <turbo test log file>')
  process.exit(2)
}
const text = readFileSync(file, 'utf8').replace(ansi, '')
const totals = { passed: 0, failed: 0, skipped: 0 }
for (const line of text.split('\n')) {
  if (!/\bTests\s+\d/.test(line)) continue // not "Test Files"
  for (const kind of Object.keys(totals)) {
    const m = new RegExp(`(\\d+) ${kind}`).exec(line)
    if (m) totals[kind] += Number(m[1])
  }
}
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : ''
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${skipped}`)
