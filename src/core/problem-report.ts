import { csvField } from '../shared/csv-field.ts'
import { ROW_BIT, ROW_CODES } from './problem-codes.ts'
import { lineOf, rowValue, type RowStore } from './row-store.ts'
import type { PackageState } from './validate-package.ts'

export const REPORT_COLUMNS = [
  'line',
  'original_value',
  'codes',
  'action',
  'value_now',
  'codes_now',
] as const

/**
 * The problem report as CSV: every row of the file as received that had a problem or was
 * changed since, with what was done to it. Rows are matched by their original line.
 */
export function problemReportCsv(original: PackageState, current: PackageState): string {
  const before = original.store
  const now = current.store
  const nowByLine = indexByLine(now, maxLine(before))
  const lines: string[] = [REPORT_COLUMNS.join(',')]
  for (let row = 0; row < before.count; row++) {
    const line = lineOf(before, row)
    const codes = original.classification.codes[row]
    const at = nowByLine[line]
    const same =
      at !== -1 && now.start[at] === before.start[row] && now.length[at] === before.length[row]
    const codesNow = at === -1 ? 0 : current.classification.codes[at]
    if (codes === 0 && same) continue
    const value = rowValue(before, row)
    const valueNow = at === -1 ? '' : same ? value : rowValue(now, at)
    lines.push(
      [
        String(line),
        csvField(value),
        codeNames(codes),
        actionOf(value, at === -1 ? null : valueNow, codes),
        csvField(valueNow),
        at === -1 ? '' : codeNames(codesNow),
      ].join(','),
    )
  }
  return lines.join('\n') + '\n'
}

function actionOf(before: string, after: string | null, codes: number): string {
  if (after === null) return 'removed'
  if (after === before) return codes === 0 ? 'none' : 'not fixed'
  const trimmed = before.trim()
  if (after === trimmed) return 'trimmed'
  if (after === before.toLowerCase()) return 'lowercased'
  if (after === trimmed.toLowerCase()) return 'trimmed and lowercased'
  return 'edited'
}

function codeNames(mask: number): string {
  return ROW_CODES.filter((code) => mask & ROW_BIT[code]).join(' ')
}

function maxLine(store: RowStore): number {
  let max = 0
  for (let row = 0; row < store.count; row++) max = Math.max(max, lineOf(store, row))
  return max
}

function indexByLine(store: RowStore, lines: number): Int32Array {
  const index = new Int32Array(lines + 1).fill(-1)
  for (let row = 0; row < store.count; row++)
    if (lineOf(store, row) <= lines) index[lineOf(store, row)] = row
  return index
}
