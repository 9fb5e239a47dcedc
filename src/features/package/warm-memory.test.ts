import { afterEach, describe, expect, it, vi } from 'vitest'
import { fitsWarmMemory, roomForWarmMemory, touchPages, WARM_BYTES } from './warm-memory.ts'

describe('touchPages', () => {
  it('changes no byte, whatever is already there', async () => {
    const memory = new SharedArrayBuffer(3 * 1024 * 1024 + 10)
    const bytes = new Uint8Array(memory)
    for (let at = 0; at < bytes.length; at += 997) bytes[at] = 1 + (at % 255)
    const before = bytes.slice()
    await touchPages(memory, { stopped: false })
    // Buffer's compare: toEqual goes element by element, seconds for 3 MB.
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(before))).toBe(0)
  })

  it('stops at its next turn once told to, so a file to read waits for no slice', async () => {
    const memory = new SharedArrayBuffer(64 * 1024 * 1024)
    const touching = { stopped: false }
    const touched = touchPages(memory, touching)
    touching.stopped = true
    const timer = vi.fn()
    setTimeout(timer, 0)
    await touched
    // It ended on its first turn, not after all eight slices, each a turn of its own.
    expect(timer).toHaveBeenCalledTimes(0)
  })
})

describe('warm memory', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('suits a file that fits it and is more than a quarter of it', () => {
    const sizes = [WARM_BYTES / 4, WARM_BYTES / 4 + 1, WARM_BYTES, WARM_BYTES + 1]
    expect(sizes.map(fitsWarmMemory)).toEqual([false, true, true, false])
  })

  it('is held where the device says it has 4 GB or more, or says nothing', () => {
    const room = (deviceMemory: number | undefined) => {
      vi.stubGlobal('navigator', deviceMemory === undefined ? {} : { deviceMemory })
      return roomForWarmMemory()
    }
    expect([undefined, 0.5, 2, 4, 8].map(room)).toEqual([true, false, false, true, true])
  })
})
