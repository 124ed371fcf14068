import { describe, expect, it } from 'vitest'
import { join, type Line, type LineNode, leave, takeAll } from './linked-line.js'

interface Item extends LineNode<Item> {
  readonly name: string
}

const item = (name: string): Item => ({ name, prev: undefined, next: undefined })
const names = (line: Line<Item>) => {
  const out: string[] = []
  for (let node = line.first; node !== undefined; node = node.next) out.push(node.name)
  return out
}

describe('Line', () => {
  it('keeps the order of joining; leaving from the front, the middle or the end, twice or never joined, is safe', () => {
    const line: Line<Item> = { first: undefined, last: undefined }
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(item) as [Item, Item, Item, Item]
    for (const node of [a, b, c, d]) join(line, node)
    leave(line, b)
    leave(line, b)
    leave(line, item('stranger'))
    expect(names(line)).toEqual(['a', 'c', 'd'])
    leave(line, a)
    leave(line, d)
    expect(names(line)).toEqual(['c'])
    expect([line.first?.name, line.last?.name]).toEqual(['c', 'c'])
    join(line, a)
    expect(names(line)).toEqual(['c', 'a'])
  })

  it('takeAll empties the line first: a visit that makes a later node leave still visits it, and leaves the line empty', () => {
    const line: Line<Item> = { first: undefined, last: undefined }
    const [a, b, c] = ['a', 'b', 'c'].map(item) as [Item, Item, Item]
    for (const node of [a, b, c]) join(line, node)
    const visited: string[] = []
    takeAll(line, (node) => {
      visited.push(node.name)
      if (node === a) leave(line, c)
    })
    expect(visited).toEqual(['a', 'b', 'c'])
    expect(names(line)).toEqual([])
    expect([line.first, line.last]).toEqual([undefined, undefined])
    join(line, b)
    expect(names(line)).toEqual(['b'])
  })
})
