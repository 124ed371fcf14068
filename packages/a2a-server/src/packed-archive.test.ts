import { seededInts } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { PackedArchive } from './packed-archive.js'

const ids = (archive: PackedArchive) => [...archive.newestFirst()].map(([id]) => id)

describe('PackedArchive', () => {
  it('returns what was put, replaces by id and deletes', () => {
    const archive = new PackedArchive(10, 4096)
    expect(archive.put('a', 'one\u0000two', 1)).toBe(true)
    expect(archive.put('b', 'three', 2)).toBe(true)
    expect(archive.get('a')).toEqual({ packed: 'one\u0000two', seq: 1 })
    expect(archive.put('a', 'newer', 3)).toBe(true)
    expect(archive.get('a')).toEqual({ packed: 'newer', seq: 3 })
    expect(archive.size).toBe(2)
    expect(ids(archive)).toEqual(['a', 'b'])
    expect(archive.delete('b')).toBe(true)
    expect(archive.delete('b')).toBe(false)
    expect(archive.get('b')).toBeUndefined()
    expect(archive.size).toBe(1)
  })

  it('keeps at most `capacity` records, dropping the oldest', () => {
    const archive = new PackedArchive(3, 4096)
    for (const id of ['a', 'b', 'c', 'd']) archive.put(id, `text of ${id}`, 0)
    expect(ids(archive)).toEqual(['d', 'c', 'b'])
    expect(archive.get('a')).toBeUndefined()
  })

  it('touch moves a record to the newest end, so it is dropped last', () => {
    const archive = new PackedArchive(3, 4096)
    for (const id of ['a', 'b', 'c']) archive.put(id, id, 0)
    archive.touch('a')
    archive.put('d', 'd', 0)
    expect(ids(archive)).toEqual(['d', 'a', 'c'])
  })

  it('stays within its bytes across many wraps, losing only the oldest records', () => {
    const bytes = 2048
    const archive = new PackedArchive(1000, bytes)
    const text = (i: number) => `#${i} ${'x'.repeat(i % 37)} ünïcödé ✓`
    for (let i = 0; i < 5000; i++) {
      expect(archive.put(`task-${i}`, text(i), i)).toBe(true)
      // The newest record is always readable, and what is kept is a run of the newest ones.
      expect(archive.get(`task-${i}`)?.packed).toBe(text(i))
    }
    const kept = [...archive.newestFirst()]
    expect(kept.length).toBeGreaterThan(5)
    kept.forEach(([id, record], n) => {
      expect(id).toBe(`task-${4999 - n}`)
      expect(record).toEqual({ packed: text(4999 - n), seq: 4999 - n })
    })
    expect(archive.size).toBe(kept.length)
  })

  it('refuses a record bigger than an eighth of its bytes', () => {
    const archive = new PackedArchive(10, 8192)
    expect(archive.put('big', 'y'.repeat(archive.maxRecordBytes), 1)).toBe(false)
    expect(archive.put('fits', 'y'.repeat(100), 2)).toBe(true)
    expect(archive.size).toBe(1)
  })

  it('finds every live record through many deletes and replacements (index rebuilds)', () => {
    const archive = new PackedArchive(64, 1 << 16)
    // A model of the ring: one slot per put, oldest first; a deleted or replaced record keeps its
    // slot until it is the oldest.
    const slots: { id: string; packed: string; alive: boolean }[] = []
    const liveSlot = (id: string) => slots.find((slot) => slot.alive && slot.id === id)
    const below = seededInts(7)
    for (let i = 0; i < 20_000; i++) {
      const id = `id-${below(200)}`
      const slot = liveSlot(id)
      if (below(3) === 0) {
        expect(archive.delete(id)).toBe(slot !== undefined)
        if (slot) slot.alive = false
      } else {
        archive.put(id, `v${i}`, i)
        if (slot) slot.alive = false
        if (slots.length === 64) slots.shift()
        slots.push({ id, packed: `v${i}`, alive: true })
      }
    }
    const live = slots.filter((slot) => slot.alive)
    expect(archive.size).toBe(live.length)
    for (const { id, packed } of live) expect(archive.get(id)?.packed).toBe(packed)
    expect(ids(archive)).toEqual(live.map((slot) => slot.id).reverse())
  })

  it('never returns a damaged or stale record when bytes, capacity, deletes and replacements all bind', () => {
    const archive = new PackedArchive(16, 4096)
    const latest = new Map<string, string>() // what each id was last set to (deleted ones removed)
    const below = seededInts(11)
    for (let i = 0; i < 30_000; i++) {
      const id = `k${below(40)}`
      const op = below(10)
      if (op === 0) {
        archive.delete(id)
        latest.delete(id)
      } else if (op === 1) {
        archive.touch(id)
      } else {
        const packed = `${i}:${'é'.repeat(below(30))}\u0000${'x'.repeat(below(60))}`
        expect(archive.put(id, packed, i)).toBe(true)
        latest.set(id, packed)
        expect(archive.get(id)?.packed).toBe(packed)
      }
      if (i % 97 === 0) {
        const kept = [...archive.newestFirst()]
        expect(kept.length).toBe(archive.size)
        expect(kept.length).toBeLessThanOrEqual(16)
        expect(new Set(kept.map(([k]) => k)).size).toBe(kept.length)
        for (const [k, record] of kept) expect(record.packed).toBe(latest.get(k))
      }
    }
  })
})
