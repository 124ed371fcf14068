import { Buffer } from 'node:buffer'

export interface PackedRecord {
  /** The string given to `put`. */
  packed: string
  /** The number given to `put` (`touch` keeps it). */
  seq: number
}

const EMPTY = 0
const DELETED = -1

/** FNV-1a over UTF-16 code units: cheap, and good enough to spread random task ids. */
function hashOf(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  return h
}

/**
 * Strings keyed by id, kept as UTF-8 records in one ring buffer outside the JS heap and found through
 * an open-addressing hash index held in typed arrays. A record costs the garbage collector nothing;
 * on a busy server even one retained string per task measurably slows every request (scavenges copy
 * survivors, marking walks them). At most `capacity` records and `bytes` bytes are kept: the oldest
 * go first.
 *
 * Records are written one after another and wrap around at the end, so in memory the oldest record
 * (`#tail`) is always just ahead of the write position; making room means dropping records from the
 * tail. Record slots are reused round-robin in the same order, so a deleted or replaced record keeps
 * its slot and bytes until the tail passes it: `size` can stay below `capacity`.
 */
export class PackedArchive {
  readonly #buf: Buffer
  readonly #capacity: number
  // Per record slot:
  readonly #offset: Int32Array
  readonly #length: Int32Array // bytes of the whole record; 0 = free or dropped
  readonly #idLength: Int32Array // bytes of the id at the start of the record
  readonly #hash: Int32Array
  readonly #seq: Float64Array
  // Index: EMPTY, DELETED or slot + 1. Kept at most 3/4 full (live + deleted) so probes stay short.
  #table: Int32Array
  #deleted = 0
  #tail = 0
  #used = 0 // slots from the tail on, dropped ones included
  #live = 0
  #liveBytes = 0
  #writeAt = 0

  constructor(capacity: number, bytes: number) {
    this.#capacity = Math.max(1, capacity)
    // allocUnsafe: pages are only touched as records arrive.
    this.#buf = Buffer.allocUnsafe(Math.max(1024, bytes))
    this.#offset = new Int32Array(this.#capacity)
    this.#length = new Int32Array(this.#capacity)
    this.#idLength = new Int32Array(this.#capacity)
    this.#hash = new Int32Array(this.#capacity)
    this.#seq = new Float64Array(this.#capacity)
    this.#table = new Int32Array(tableSizeFor(this.#capacity))
  }

  get size(): number {
    return this.#live
  }

  /** UTF-8 bytes of the live records (ids included). */
  get bytes(): number {
    return this.#liveBytes
  }

  /** Records bigger than this are refused by `put` (the caller keeps them some other way). */
  get maxRecordBytes(): number {
    return this.#buf.length >> 3
  }

  /** Stores `packed` under `id`, replacing an earlier record. False when the record is too big. */
  put(id: string, packed: string, seq: number): boolean {
    // Worst case 3 UTF-8 bytes per UTF-16 unit; the exact length is known after writing.
    const reserve = (id.length + packed.length) * 3 + 1
    if (reserve > this.maxRecordBytes) return false
    const hash = hashOf(id)
    const old = this.#find(id, hash)
    if (old >= 0) this.#unindex(old)
    if (this.#used === this.#capacity) this.#dropTail()
    let at = this.#writeAt
    if (at + reserve > this.#buf.length) {
      // Skip the end of the buffer: the records still there are the oldest, drop them first.
      while (this.#used > 0 && this.#ahead(this.#tail, at, this.#buf.length)) this.#dropTail()
      at = 0
    }
    while (this.#used > 0 && this.#ahead(this.#tail, at, reserve)) this.#dropTail()
    const idBytes = this.#buf.write(id, at)
    this.#buf[at + idBytes] = 0
    const total = idBytes + 1 + this.#buf.write(packed, at + idBytes + 1)
    const slot = (this.#tail + this.#used) % this.#capacity
    this.#offset[slot] = at
    this.#length[slot] = total
    this.#idLength[slot] = idBytes
    this.#hash[slot] = hash
    this.#seq[slot] = seq
    this.#used++
    this.#live++
    this.#liveBytes += total
    this.#writeAt = at + total
    this.#index(hash, slot)
    return true
  }

  get(id: string): PackedRecord | undefined {
    const found = this.#find(id, hashOf(id))
    if (found < 0) return undefined
    const slot = (this.#table[found] as number) - 1
    return { packed: this.#packedAt(slot), seq: this.#seq[slot] as number }
  }

  /**
   * Marks a record as just used: it moves to the newest end and is dropped last. Pass the record when
   * it was just read, to save a second lookup.
   */
  touch(id: string, record: PackedRecord | undefined = this.get(id)): void {
    if (record !== undefined) this.put(id, record.packed, record.seq)
  }

  delete(id: string): boolean {
    const found = this.#find(id, hashOf(id))
    if (found < 0) return false
    this.#unindex(found)
    return true
  }

  /** The `seq` of the record that would be dropped first (the oldest), or undefined when empty. */
  oldestSeq(): number | undefined {
    this.#skipDroppedTail()
    return this.#used === 0 ? undefined : (this.#seq[this.#tail] as number)
  }

  /** Drops the oldest record; false when there is none. */
  dropOldest(): boolean {
    this.#skipDroppedTail()
    if (this.#used === 0) return false
    this.#dropTail()
    return true
  }

  /** Frees the slots of deleted records at the tail, so the tail is the oldest live record. */
  #skipDroppedTail(): void {
    while (this.#used > 0 && this.#length[this.#tail] === 0) this.#dropTail()
  }

  /** Every record, newest first. */
  *newestFirst(): Generator<[id: string, record: PackedRecord]> {
    for (let i = this.#used - 1; i >= 0; i--) {
      const slot = (this.#tail + i) % this.#capacity
      if (this.#length[slot] === 0) continue
      yield [this.#idAt(slot), { packed: this.#packedAt(slot), seq: this.#seq[slot] as number }]
    }
  }

  #idAt(slot: number): string {
    const at = this.#offset[slot] as number
    return this.#buf.toString('utf8', at, at + (this.#idLength[slot] as number))
  }

  #packedAt(slot: number): string {
    const at = (this.#offset[slot] as number) + (this.#idLength[slot] as number) + 1
    return this.#buf.toString('utf8', at, (this.#offset[slot] as number) + (this.#length[slot] as number))
  }

  /**
   * Whether the tail slot must go before `size` bytes are written at `at`: it is a dropped record
   * (nothing to keep), or it overlaps that range.
   */
  #ahead(slot: number, at: number, size: number): boolean {
    const length = this.#length[slot] as number
    if (length === 0) return true
    const start = this.#offset[slot] as number
    return start < at + size && at < start + length
  }

  /** The index position holding `id`'s slot, or -1. */
  #find(id: string, hash: number): number {
    if (this.#live === 0) return -1
    const mask = this.#table.length - 1
    for (let i = hash & mask, n = 0; n < this.#table.length; i = (i + 1) & mask, n++) {
      const entry = this.#table[i] as number
      if (entry === EMPTY) return -1
      if (entry === DELETED) continue
      const slot = entry - 1
      if (this.#hash[slot] === hash && this.#idAt(slot) === id) return i
    }
    return -1
  }

  #index(hash: number, slot: number): void {
    const mask = this.#table.length - 1
    let i = hash & mask
    while ((this.#table[i] as number) > EMPTY) i = (i + 1) & mask
    if (this.#table[i] === DELETED) this.#deleted--
    this.#table[i] = slot + 1
    if ((this.#live + this.#deleted) * 4 > this.#table.length * 3) this.#rebuildIndex()
  }

  /** Drops the record the index position `i` points to. */
  #unindex(i: number): void {
    const slot = (this.#table[i] as number) - 1
    this.#table[i] = DELETED
    this.#deleted++
    this.#liveBytes -= this.#length[slot] as number
    this.#length[slot] = 0
    this.#live--
  }

  #dropTail(): void {
    const slot = this.#tail
    if (this.#length[slot] !== 0) {
      const mask = this.#table.length - 1
      let i = (this.#hash[slot] as number) & mask
      while (this.#table[i] !== slot + 1) i = (i + 1) & mask
      this.#unindex(i)
    }
    this.#tail = (this.#tail + 1) % this.#capacity
    this.#used--
  }

  /** Re-inserts the live records into a clean index: deleted markers would otherwise pile up. */
  #rebuildIndex(): void {
    this.#table.fill(EMPTY)
    this.#deleted = 0
    const mask = this.#table.length - 1
    for (let n = 0; n < this.#used; n++) {
      const slot = (this.#tail + n) % this.#capacity
      if (this.#length[slot] === 0) continue
      let i = (this.#hash[slot] as number) & mask
      while (this.#table[i] !== EMPTY) i = (i + 1) & mask
      this.#table[i] = slot + 1
    }
  }
}

/** A power of two at least twice the capacity, so the index is at most half full of live records. */
function tableSizeFor(capacity: number): number {
  let size = 16
  while (size < capacity * 2) size *= 2
  return size
}
