import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { spreadsheetFormat } from './spreadsheet.ts'
import { utf8 } from './test-fixtures.ts'

async function zipOf(entries: Record<string, string>): Promise<Uint8Array> {
  const zip = new JSZip()
  for (const [name, text] of Object.entries(entries)) zip.file(name, text)
  return zip.generateAsync({ type: 'uint8array' })
}

describe('spreadsheetFormat', () => {
  it('tells workbooks by their bytes', async () => {
    const ole2 = Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0)
    expect(spreadsheetFormat(ole2)).toBe('xls')
    const xlsx = await zipOf({
      '[Content_Types].xml': '<Types/>',
      'xl/workbook.xml': '<workbook/>',
    })
    expect(spreadsheetFormat(xlsx)).toBe('xlsx')
    const ods = await zipOf({
      mimetype: 'application/vnd.oasis.opendocument.spreadsheet',
      'content.xml': '',
    })
    expect(spreadsheetFormat(ods)).toBe('ods')
    const numbers = await zipOf({ 'Index/Document.iwa': 'x', 'Metadata/Properties.plist': '' })
    expect(spreadsheetFormat(numbers)).toBe('numbers')
  })

  it('a token zip or text is no workbook', async () => {
    expect(spreadsheetFormat(await zipOf({ 'tokens.txt': 'a\n' }))).toBeNull()
    expect(spreadsheetFormat(utf8('token\n'))).toBeNull()
  })
})
