import { describe, expect, it } from 'vitest'
import { initialRegion } from './remembered-region.ts'

const regions = ['guangzhou', 'shanghai', 'hongkong', 'singapore', 'sandbox'] as const

describe('initialRegion', () => {
  it('starts in the sandbox when the server holds no credentials', () => {
    expect(initialRegion({ regions: [...regions], defaultRegion: 'sandbox' }, 'shanghai')).toBe(
      'sandbox',
    )
  })

  it('takes the region used last when the server holds credentials', () => {
    expect(initialRegion({ regions: [...regions], defaultRegion: null }, 'hongkong')).toBe(
      'hongkong',
    )
  })

  it('falls back to the first real access point', () => {
    expect(initialRegion({ regions: [...regions], defaultRegion: null }, null)).toBe('guangzhou')
    expect(
      initialRegion({ regions: ['shanghai', 'sandbox'], defaultRegion: null }, 'hongkong'),
    ).toBe('shanghai')
  })
})
