import { describe, expect, it } from 'vitest'
import { isOsMetadata, readZip, type ZipReading } from './read-zip.ts'
import {
  deflatedZeros,
  rawZip,
  seededRandom,
  utf8,
  withDeclaredSize,
  zipOf,
} from './test-fixtures.ts'

const content = '0123456789abcdef0123456789abcdef0123\n'

/** The reading without its bytes, plus the bytes as text, for one exact comparison. */
function summary(reading: ZipReading) {
  if (!reading.ok) return reading
  const { bytes, ...rest } = reading
  return { ...rest, text: new TextDecoder().decode(bytes) }
}

describe('readZip: the token file', () => {
  it.each(['STORE', 'DEFLATE'] as const)(
    'inflates the one .txt at the root (%s)',
    async (method) => {
      const reading = await readZip(await zipOf({ 'tokens.txt': content }, method))
      expect(summary(reading)).toEqual({
        ok: true,
        entryName: 'tokens.txt',
        format: 'txt',
        problems: [],
        text: content,
      })
    },
  )

  it('reads a zip whose sizes follow the data (data descriptor)', async () => {
    const zip = await zipOf({ 'tokens.txt': content.repeat(3) }, 'DEFLATE', true)
    // Bit 3: the local header leaves its sizes at 0.
    expect(new DataView(zip.buffer).getUint16(6, true) & 8).toBe(8)
    expect(summary(await readZip(zip))).toMatchObject({ ok: true, text: content.repeat(3) })
  })

  it('takes .CSV in any case and says it is CSV', async () => {
    const reading = await readZip(await zipOf({ 'Tokens.CSV': content }))
    expect(summary(reading)).toMatchObject({ ok: true, entryName: 'Tokens.CSV', format: 'csv' })
  })

  it('inflates an empty entry to no bytes', async () => {
    expect(summary(await readZip(await zipOf({ 'tokens.txt': '' })))).toEqual({
      ok: true,
      entryName: 'tokens.txt',
      format: 'txt',
      problems: [],
      text: '',
    })
  })

  it('reports progress as it inflates', async () => {
    const calls: [number, number][] = []
    await readZip(await zipOf({ 'tokens.txt': content.repeat(10) }), {
      onProgress: (inflated, declared) => calls.push([inflated, declared]),
    })
    expect(calls.at(-1)).toEqual([370, 370])
  })
})

describe('readZip: zip-corrupt', () => {
  it('refuses random bytes', async () => {
    const random = seededRandom(3)
    const bytes = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256))
    expect(await readZip(bytes)).toEqual({ ok: false, problems: [{ code: 'zip-corrupt' }] })
  })

  it('refuses a gzip file', async () => {
    const gzip = Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0x4b, 0x04, 0x00)
    expect(await readZip(gzip)).toEqual({ ok: false, problems: [{ code: 'zip-corrupt' }] })
  })

  it('refuses no bytes and a zip signature alone', async () => {
    expect(await readZip(new Uint8Array(0))).toEqual({
      ok: false,
      problems: [{ code: 'zip-corrupt' }],
    })
    expect(await readZip(Uint8Array.of(0x50, 0x4b, 0x03, 0x04))).toEqual({
      ok: false,
      problems: [{ code: 'zip-corrupt' }],
    })
  })

  it('refuses a truncated zip', async () => {
    const zip = await zipOf({ 'tokens.txt': content.repeat(50) })
    for (const cut of [1, 10, 22, Math.floor(zip.length / 2)]) {
      expect(await readZip(zip.subarray(0, zip.length - cut))).toEqual({
        ok: false,
        problems: [{ code: 'zip-corrupt' }],
      })
    }
  })

  it('refuses deflate data that does not inflate', async () => {
    // Block type 3 is reserved: the inflater must fail.
    const zip = rawZip([
      {
        name: 'tokens.txt',
        data: Uint8Array.of(0xff, 0xff, 0xff, 0xff),
        method: 8,
        declaredSize: 10,
      },
    ])
    expect(await readZip(zip)).toEqual({ ok: false, problems: [{ code: 'zip-corrupt' }] })
  })

  it('refuses an entry that inflates to another size than it declares (under the cap)', async () => {
    const zip = withDeclaredSize(await zipOf({ 'tokens.txt': content.repeat(100) }), 100)
    expect(await readZip(zip)).toEqual({ ok: false, problems: [{ code: 'zip-corrupt' }] })
  })
})

describe('readZip: zip-entries', () => {
  it('refuses a zip with no entries', async () => {
    expect(await readZip(await zipOf({}))).toEqual({
      ok: false,
      problems: [{ code: 'zip-entries', count: 0, names: [] }],
    })
  })

  it('refuses a zip with no .txt or .csv, naming what it holds', async () => {
    expect(
      await readZip(await zipOf({ 'tokens.xlsx': 'x', 'inner.zip': 'y', 'readme.md': 'z' })),
    ).toEqual({
      ok: false,
      problems: [
        { code: 'zip-entries', count: 0, names: ['tokens.xlsx', 'inner.zip', 'readme.md'] },
      ],
    })
  })

  it('refuses two token files', async () => {
    expect(await readZip(await zipOf({ 'a.txt': content, 'b.txt': content }))).toEqual({
      ok: false,
      problems: [{ code: 'zip-entries', count: 2, names: ['a.txt', 'b.txt'] }],
    })
    expect(await readZip(await zipOf({ 'a.txt': content, 'b.CSV': content }))).toEqual({
      ok: false,
      problems: [{ code: 'zip-entries', count: 2, names: ['a.txt', 'b.CSV'] }],
    })
  })

  it('names at most 20 entries', async () => {
    const entries = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`t${i}.txt`, content]))
    const reading = await readZip(await zipOf(entries))
    expect(reading.ok).toBe(false)
    expect(reading.problems).toHaveLength(1)
    expect(reading.problems[0]).toMatchObject({ code: 'zip-entries', count: 25 })
    expect(reading.problems[0].names).toHaveLength(20)
  })
})

describe('readZip: zip-folder', () => {
  it('reads a token file inside a folder and reports the folder', async () => {
    expect(summary(await readZip(await zipOf({ 'dir/tokens.txt': content })))).toEqual({
      ok: true,
      entryName: 'dir/tokens.txt',
      format: 'txt',
      problems: [{ code: 'zip-folder', names: ['dir/tokens.txt'] }],
      text: content,
    })
  })

  it('reports the folder entry too when the zip has one', async () => {
    const reading = await readZip(await zipOf({ 'dir/': '', 'dir/tokens.txt': content }))
    expect(reading.problems).toEqual([{ code: 'zip-folder', names: ['dir/tokens.txt'] }])
  })

  it('reports a name that climbs out of the zip by its original name', async () => {
    expect(summary(await readZip(await zipOf({ '../tokens.txt': content })))).toEqual({
      ok: true,
      entryName: '../tokens.txt',
      format: 'txt',
      problems: [{ code: 'zip-folder', names: ['../tokens.txt'] }],
      text: content,
    })
  })

  it('reports a Windows path with backslashes', async () => {
    const zip = rawZip([
      { name: 'dir\\tokens.txt', data: utf8(content), method: 0, declaredSize: 37 },
    ])
    expect(summary(await readZip(zip))).toEqual({
      ok: true,
      entryName: 'dir\\tokens.txt',
      format: 'txt',
      problems: [{ code: 'zip-folder', names: ['dir\\tokens.txt'] }],
      text: content,
    })
  })

  it('reports a folder beside a token file at the root', async () => {
    const reading = await readZip(await zipOf({ 'docs/': '', 'tokens.txt': content }))
    expect(summary(reading)).toMatchObject({
      ok: true,
      problems: [{ code: 'zip-folder', names: ['docs/'] }],
      text: content,
    })
  })
})

describe('readZip: zip-hidden', () => {
  it('reports macOS Finder entries and still reads the token file', async () => {
    const zip = await zipOf({
      'tokens.txt': content,
      '__MACOSX/': '',
      '__MACOSX/._tokens.txt': 'resource fork',
    })
    expect(summary(await readZip(zip))).toEqual({
      ok: true,
      entryName: 'tokens.txt',
      format: 'txt',
      problems: [{ code: 'zip-hidden', names: ['__MACOSX/', '__MACOSX/._tokens.txt'] }],
      text: content,
    })
  })

  it.each(['._tokens.txt', '.DS_Store', 'Thumbs.db', 'desktop.ini'])(
    'reports %s and still reads the token file',
    async (hidden) => {
      const reading = await readZip(await zipOf({ [hidden]: 'x', 'tokens.txt': content }))
      expect(summary(reading)).toEqual({
        ok: true,
        entryName: 'tokens.txt',
        format: 'txt',
        problems: [{ code: 'zip-hidden', names: [hidden] }],
        text: content,
      })
    },
  )

  it('reports metadata beside missing token files', async () => {
    expect(await readZip(await zipOf({ '.DS_Store': 'x', '._tokens.txt': 'y' }))).toEqual({
      ok: false,
      problems: [
        { code: 'zip-hidden', names: ['.DS_Store', '._tokens.txt'] },
        { code: 'zip-entries', count: 0, names: [] },
      ],
    })
  })
})

describe('isOsMetadata', () => {
  it.each([
    ['__MACOSX/', true],
    ['__MACOSX/._a.txt', true],
    ['sub/__MACOSX/x', true],
    ['._a.txt', true],
    ['sub/._a.txt', true],
    ['.DS_Store', true],
    ['sub/.DS_Store', true],
    ['Thumbs.db', true],
    ['THUMBS.DB', true],
    ['Desktop.ini', true],
    ['tokens.txt', false],
    ['_tokens.txt', false],
    ['.tokens.txt', false],
    ['MACOSX/a.txt', false],
    ['__MACOSX_tokens.txt', false],
  ])('%s → %s', (path, expected) => {
    expect(isOsMetadata(path)).toBe(expected)
  })
})

describe('readZip: zip-bomb', () => {
  it('refuses a declared size over 512 MiB before inflating', async () => {
    const zip = withDeclaredSize(await zipOf({ 'tokens.txt': content }), 512 * 1024 * 1024 + 1)
    let progress = 0
    const reading = await readZip(zip, { onProgress: () => progress++ })
    expect(reading).toEqual({ ok: false, problems: [{ code: 'zip-bomb', count: 536870913 }] })
    expect(progress).toBe(0)
  })

  it('takes exactly 512 MiB declared as within the cap', async () => {
    // Declared at the cap, so the declared check passes; the real size then differs.
    const zip = withDeclaredSize(await zipOf({ 'tokens.txt': content }), 512 * 1024 * 1024)
    expect(await readZip(zip)).toEqual({ ok: false, problems: [{ code: 'zip-corrupt' }] })
  })

  it('reads the declared size from the central directory when the data carries its sizes', async () => {
    const zip = await zipOf({ 'tokens.txt': content }, 'DEFLATE', true)
    expect(await readZip(withDeclaredSize(zip, 600 * 1024 * 1024))).toEqual({
      ok: false,
      problems: [{ code: 'zip-bomb', count: 600 * 1024 * 1024 }],
    })
  })

  it('adds up what every entry declares, hidden ones included', async () => {
    const zip = withDeclaredSize(
      await zipOf({ 'tokens.txt': content, '__MACOSX/._tokens.txt': 'x' }),
      300 * 1024 * 1024,
    )
    expect(await readZip(zip)).toEqual({
      ok: false,
      problems: [
        { code: 'zip-hidden', names: ['__MACOSX/._tokens.txt'] },
        { code: 'zip-bomb', count: 600 * 1024 * 1024 },
      ],
    })
  })

  it('refuses a declared size over a lower cap', async () => {
    const zip = await zipOf({ 'tokens.txt': '0'.repeat(10_000) })
    expect(await readZip(zip, { maxInflatedBytes: 9_999 })).toEqual({
      ok: false,
      problems: [{ code: 'zip-bomb', count: 10_000 }],
    })
    expect(summary(await readZip(zip, { maxInflatedBytes: 10_000 }))).toMatchObject({ ok: true })
  })

  it('stops a zip that declares less than it inflates at the cap', async () => {
    const zip = withDeclaredSize(await zipOf({ 'tokens.txt': '0'.repeat(100_000) }), 100)
    expect(await readZip(zip, { maxInflatedBytes: 5_000 })).toEqual({
      ok: false,
      problems: [{ code: 'zip-bomb', count: 5_000 }],
    })
  })

  it('stops inflating as soon as the count passes the cap', async () => {
    // 1 + 258 × 400,000 bytes (about 98 MiB) of '0' in 650 kB of deflate, declared as 1 kB.
    const zip = rawZip([
      { name: 'tokens.txt', data: deflatedZeros(400_000), method: 8, declaredSize: 1_000 },
    ])
    const seen: number[] = []
    const reading = await readZip(zip, {
      maxInflatedBytes: 1024 * 1024,
      onProgress: (inflated) => seen.push(inflated),
    })
    expect(reading).toEqual({ ok: false, problems: [{ code: 'zip-bomb', count: 1024 * 1024 }] })
    expect(Math.max(...seen)).toBeLessThanOrEqual(1024 * 1024)
    expect(Math.max(...seen)).toBeGreaterThan(1024 * 1024 - 65536)
  })

  it('inflates the same crafted stream whole when it fits', async () => {
    const zip = rawZip([
      { name: 'tokens.txt', data: deflatedZeros(100), method: 8, declaredSize: 25_801 },
    ])
    const reading = await readZip(zip)
    expect(summary(reading)).toEqual({
      ok: true,
      entryName: 'tokens.txt',
      format: 'txt',
      problems: [],
      text: '0'.repeat(25_801),
    })
  })
})

describe('readZip: names', () => {
  it('keeps a UTF-8 entry name', async () => {
    const reading = await readZip(await zipOf({ '令牌.txt': utf8(content) }))
    expect(summary(reading)).toMatchObject({ ok: true, entryName: '令牌.txt' })
  })
})
