import { describe, expect, it } from 'vitest'
import { describeFixes } from './describe-fixes.ts'
import { historyToCsv, historyToJson } from './export-history.ts'
import { historyEntrySchema, type HistoryEntry } from './history-entry.ts'
import { appsIn, matchesFilter } from './filter-history.ts'
import { pushBody, pushUrl } from './push-body.ts'

const entry: HistoryEntry = {
  id: 'a1',
  uploadId: 123456,
  region: 'guangzhou',
  accessId: '1500001234',
  fileName: 'tokens, "march".txt',
  rows: 500,
  bytes: 18_500,
  sha256: 'ab'.repeat(32),
  uploadedAt: '2025-03-01T08:30:00.000Z',
  fixes: ['Trim spaces', 'Lowercase'],
  kind: 'token',
  sources: [
    { name: 'october.csv', rows: 300 },
    { name: 'week.txt', rows: 200 },
  ],
  exclusions: [{ name: 'optout.txt', rows: 20 }],
}

describe('historyEntrySchema', () => {
  it('takes a well-formed entry and rejects a damaged one', () => {
    expect(historyEntrySchema.safeParse(entry).success).toBe(true)
    expect(historyEntrySchema.safeParse({ ...entry, uploadId: '123456' }).success).toBe(false)
    expect(historyEntrySchema.safeParse({ ...entry, region: 'mars' }).success).toBe(false)
    expect(historyEntrySchema.safeParse({ ...entry, sha256: 'xyz' }).success).toBe(false)
  })

  it('reads an entry kept before packages had several lists, with none', () => {
    const older: Record<string, unknown> = { ...entry }
    delete older.sources
    delete older.exclusions
    expect(historyEntrySchema.parse(older)).toMatchObject({ sources: [], exclusions: [] })
  })

  it('finds an entry by the name of a list it was made of or left out', () => {
    const filter = { region: 'all', kind: 'all', app: 'all' } as const
    expect(matchesFilter(entry, { ...filter, text: 'OCTOBER' })).toBe(true)
    expect(matchesFilter(entry, { ...filter, text: 'optout' })).toBe(true)
    expect(matchesFilter(entry, { ...filter, text: 'november' })).toBe(false)
  })

  it('reads entries from before apps (no app) and entries with one', () => {
    const stored = JSON.parse(JSON.stringify(entry)) as unknown
    expect(historyEntrySchema.parse(stored)).toEqual(entry)
    const withApp = { ...entry, app: { id: 'shop-ios', name: 'Shop – iOS' } }
    expect(historyEntrySchema.parse(withApp).app).toEqual({ id: 'shop-ios', name: 'Shop – iOS' })
    expect(historyEntrySchema.safeParse({ ...entry, app: { name: 'x' } }).success).toBe(false)
  })
})

describe('historyToCsv', () => {
  it('quotes cells with commas and quotes, one entry a line', () => {
    const csv = historyToCsv([entry])
    const [header, line] = csv.trimEnd().split('\r\n')
    expect(header).toBe(
      'uploadId,region,accessId,fileName,rows,bytes,sha256,uploadedAt,kind,fixes,sources,exclusions,app',
    )
    expect(line).toBe(
      `123456,guangzhou,1500001234,"tokens, ""march"".txt",500,18500,${'ab'.repeat(32)},2025-03-01T08:30:00.000Z,token,Trim spaces; Lowercase,october.csv (300); week.txt (200),optout.txt (20),`,
    )
    const [, appLine] = historyToCsv([{ ...entry, app: { id: 'shop-ios', name: 'Shop – iOS' } }])
      .trimEnd()
      .split('\r\n')
    expect(appLine.endsWith(',optout.txt (20),shop-ios')).toBe(true)
  })

  it('defuses cells a spreadsheet would run as formulas', () => {
    const csv = historyToCsv([{ ...entry, fileName: '=HYPERLINK("x").txt' }])
    expect(csv).toContain(`"'=HYPERLINK(""x"").txt"`)
  })
})

describe('historyToJson', () => {
  it('leaves out the internal id', () => {
    const [exported] = JSON.parse(historyToJson([entry])) as unknown[]
    expect(exported).not.toHaveProperty('id')
    expect(exported).toMatchObject({ uploadId: 123456, sha256: entry.sha256 })
  })
})

describe('pushBody', () => {
  it('targets the package by its uploadId, token or account', () => {
    const message = { title: 'T', content: 'C' }
    expect(pushBody(entry, message)).toEqual({
      audience_type: 'package_token_push',
      upload_id: 123456,
      message_type: 'notify',
      message,
    })
    expect(pushBody({ ...entry, kind: 'account' }, message).audience_type).toBe(
      'package_account_push',
    )
  })

  it('posts to the same access point, and nowhere for the sandbox', () => {
    expect(pushUrl('hongkong')).toBe('https://api.tpns.hk.tencent.com/v3/push/app')
    expect(pushUrl('sandbox')).toBeNull()
  })
})

describe('matchesFilter', () => {
  it('searches uploadId and SHA-256 from the start, file name and AccessID anywhere', () => {
    const all = { text: '', region: 'all', kind: 'all', app: 'all' } as const
    expect(matchesFilter(entry, all)).toBe(true)
    expect(matchesFilter(entry, { ...all, text: '1234' })).toBe(true)
    expect(matchesFilter(entry, { ...all, text: '3456' })).toBe(false)
    expect(matchesFilter(entry, { ...all, text: 'MARCH' })).toBe(true)
    expect(matchesFilter(entry, { ...all, text: '15000012' })).toBe(true)
    expect(matchesFilter(entry, { ...all, text: 'ababab' })).toBe(true)
    expect(matchesFilter(entry, { ...all, text: 'abab' })).toBe(false)
    expect(matchesFilter(entry, { ...all, text: 'nothing' })).toBe(false)
    expect(matchesFilter(entry, { ...all, region: 'shanghai' })).toBe(false)
    expect(matchesFilter(entry, { ...all, kind: 'account' })).toBe(false)
  })

  it('filters by app, and searches the app’s name', () => {
    const all = { text: '', region: 'all', kind: 'all', app: 'all' } as const
    const ios = { ...entry, app: { id: 'shop-ios', name: 'Shop – iOS' } }
    expect(matchesFilter(ios, { ...all, app: 'shop-ios' })).toBe(true)
    expect(matchesFilter(ios, { ...all, app: 'shop-android' })).toBe(false)
    expect(matchesFilter(entry, { ...all, app: 'shop-ios' })).toBe(false)
    expect(matchesFilter(ios, { ...all, text: 'ios' })).toBe(true)
    expect(appsIn([entry, ios, { ...ios, id: 'b2' }])).toEqual([
      { id: 'shop-ios', name: 'Shop – iOS' },
    ])
  })
})

describe('describeFixes', () => {
  const t = (key: string, values?: Record<string, string | number>) =>
    values ? `${key}(${JSON.stringify(values)})` : key
  it('puts each label in words, and keeps one it does not know as it is', () => {
    expect(
      describeFixes(['fix-all', 'fix-invalid', 'delete-3', 'edit', 'kind-account', 'fix-later'], t),
    ).toBe(
      'fix.all; fix.invalid; history.fix.delete({"count":3}); history.fix.edit; history.fix.kind-account; fix-later',
    )
  })
})
