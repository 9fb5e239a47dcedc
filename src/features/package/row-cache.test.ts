import { describe, expect, it, vi } from 'vitest'
import type { RowView } from './package-worker-api.ts'
import { createRowCache } from './row-cache.ts'

function fakeRows(label: string) {
  const calls: Array<[number, number]> = []
  const read = vi.fn(async (from: number, count: number): Promise<RowView[]> => {
    calls.push([from, count])
    return Array.from({ length: count }, (_, offset) => ({
      position: from + offset,
      index: from + offset,
      line: from + offset + 1,
      source: null,
      value: `${label}${from + offset}`,
      full: null,
      codes: 0,
    }))
  })
  return { read, calls }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('createRowCache', () => {
  it('asks for aligned windows once each, never one row at a time', async () => {
    const { read, calls } = fakeRows('v')
    const cache = createRowCache(read, 10)
    cache.request(1, 5, 25)
    cache.request(1, 5, 25)
    await settle()
    expect(calls).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
    ])
    expect(cache.get(1, 17)).toEqual({
      row: expect.objectContaining({ value: 'v17' }),
      fresh: true,
    })
  })

  it('refetches for a new version and shows the old rows as stale meanwhile', async () => {
    let label = 'old'
    const read = vi.fn(async (from: number, count: number) =>
      Array.from({ length: count }, (_, offset) => ({
        position: from + offset,
        index: from + offset,
        line: from + offset + 1,
        source: null,
        value: `${label}${from + offset}`,
        full: null,
        codes: 0,
      })),
    )
    const cache = createRowCache(read, 10)
    const listener = vi.fn()
    cache.subscribe(listener)
    cache.request(1, 0, 10)
    await settle()
    expect(listener).toHaveBeenCalledTimes(1)

    label = 'new'
    expect(cache.get(2, 3)).toEqual({
      row: expect.objectContaining({ value: 'old3' }),
      fresh: false,
    })
    cache.request(2, 0, 10)
    expect(cache.get(2, 3)?.fresh).toBe(false)
    await settle()
    expect(cache.get(2, 3)).toEqual({
      row: expect.objectContaining({ value: 'new3' }),
      fresh: true,
    })
    expect(read).toHaveBeenCalledTimes(2)
  })

  it('drops answers that arrive for a superseded version', async () => {
    const resolvers: Array<() => void> = []
    const read = (from: number) =>
      new Promise<RowView[]>((resolve) => {
        resolvers.push(() =>
          resolve([
            {
              position: from,
              index: from,
              line: 1,
              source: null,
              value: 'late',
              full: null,
              codes: 0,
            },
          ]),
        )
      })
    const cache = createRowCache(read, 1)
    cache.request(1, 0, 1)
    await settle()
    cache.request(2, 0, 1)
    await settle()
    resolvers[0]()
    await settle()
    expect(cache.get(2, 0)).toBeUndefined()
  })

  it('survives a worker that is gone', async () => {
    const cache = createRowCache(() => {
      throw new Error('No package is open.')
    }, 10)
    cache.request(1, 0, 10)
    await settle()
    expect(cache.get(1, 0)).toBeUndefined()
  })

  it('keeps a bounded number of windows', async () => {
    const { read } = fakeRows('v')
    const cache = createRowCache(read, 10, 2)
    cache.request(1, 0, 10)
    await settle()
    cache.request(1, 10, 30)
    await settle()
    expect(cache.get(1, 0)).toBeUndefined()
    expect(cache.get(1, 25)?.fresh).toBe(true)
  })
})
