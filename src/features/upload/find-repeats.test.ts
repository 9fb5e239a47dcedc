import { describe, expect, it } from 'vitest'
import type { EarlierUpload } from './upload-run-state.ts'
import { findRepeats } from './use-upload-run.ts'

const file = (sha256: string) => ({
  name: `${sha256}.txt`,
  file: new Blob(),
  rows: 1,
  bytes: 37,
  sha256,
})

const earlier: EarlierUpload[] = [
  {
    uploadId: 1,
    region: 'guangzhou',
    accessId: 'A',
    sha256: 'aa',
    uploadedAt: '2025-01-01T00:00:00.000Z',
  },
  {
    uploadId: 2,
    region: 'guangzhou',
    accessId: 'A',
    sha256: 'aa',
    uploadedAt: '2025-02-01T00:00:00.000Z',
  },
  {
    uploadId: 3,
    region: 'shanghai',
    accessId: 'A',
    sha256: 'bb',
    uploadedAt: '2025-02-01T00:00:00.000Z',
  },
]

describe('findRepeats', () => {
  it('finds the latest upload of the same bytes to the same access point and AccessID', () => {
    const repeats = findRepeats([file('aa'), file('cc')], earlier, {
      region: 'guangzhou',
      accessId: 'A',
    })
    expect(repeats.map((repeat) => [repeat.file.sha256, repeat.earlier.uploadId])).toEqual([
      ['aa', 2],
    ])
  })

  it('does not call another access point or AccessID a repeat', () => {
    expect(findRepeats([file('aa')], earlier, { region: 'shanghai', accessId: 'A' })).toEqual([])
    expect(findRepeats([file('aa')], earlier, { region: 'guangzhou', accessId: 'B' })).toEqual([])
  })
})
