import { describe, expect, it } from 'vitest'
import { createRateMeter } from './transfer-rate.ts'

describe('createRateMeter', () => {
  it('knows nothing from a single sample', () => {
    expect(createRateMeter().sample(100, 1000, 0)).toEqual({
      bytesPerSecond: null,
      secondsLeft: null,
    })
  })

  it('measures speed and time left over the recent window', () => {
    const meter = createRateMeter()
    meter.sample(0, 10_000, 0)
    const rate = meter.sample(2_000, 10_000, 1_000)
    expect(rate.bytesPerSecond).toBe(2_000)
    expect(rate.secondsLeft).toBe(4)
  })

  it('forgets samples older than the window, following a slowdown', () => {
    const meter = createRateMeter()
    meter.sample(0, 100_000, 0)
    meter.sample(50_000, 100_000, 1_000)
    meter.sample(51_000, 100_000, 4_500)
    const rate = meter.sample(52_000, 100_000, 5_500)
    expect(rate.bytesPerSecond).toBe(1_000)
    expect(rate.secondsLeft).toBe(48)
  })
})
