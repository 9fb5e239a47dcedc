import { csvField } from '../shared/csv-field.ts'
import { classifyRows } from './classify-rows.ts'
import { ROW_BIT, ROW_CODES } from './problem-codes.ts'
import { arenaBytes, lineOf, rowValue, type RowStore } from './row-store.ts'
import type { PackageState } from './validate-package.ts'

export const REPORT_COLUMNS = [
  'line',
  'original_value',
  'codes',
  'action',
  'value_now',
  'codes_now',
  'source',
  'excluded_by',
] as const

/**
 * The problem report as CSV: every row of each file as received that had a problem or was
 * changed since, with what was done to it, the file it came from and the exclusion lists that
 * hold its value. Rows are matched by their line in the package.
 */
export function problemReportCsv(current: PackageState): string {
  const now = current.store
  const last = current.sources.at(-1)
  const nowByLine = indexByLine(now, last ? last.lineOffset + last.lines : 0)
  const lines: string[] = [REPORT_COLUMNS.join(',')]
  for (const source of current.sources) {
    const { store: before, codes } = source.original
    const listed = excludedBy(current, before, source.format === 'csv')
    for (let row = 0; row < before.count; row++) {
      const line = lineOf(before, row)
      const at = nowByLine[line + source.lineOffset]
      const same = at !== -1 && sameBytes(before, row, now, at)
      const codesNow = at === -1 ? 0 : current.classification.codes[at]
      const lists = listed(row)
      if (codes[row] === 0 && same && lists === '') continue
      const value = rowValue(before, row)
      const valueNow = at === -1 ? '' : same ? value : rowValue(now, at)
      lines.push(
        [
          String(line),
          csvField(value),
          codeNames(codes[row]),
          actionOf(value, at === -1 ? null : valueNow, codes[row]),
          csvField(valueNow),
          at === -1 ? '' : codeNames(codesNow),
          csvField(source.name),
          csvField(lists),
        ].join(','),
      )
    }
  }
  return lines.join('\n') + '\n'
}

/**
 * For each row of a file as received, the exclusion lists that hold its value (`;`-joined):
 * the file's rows classified against each list in turn (a report is asked for rarely; the
 * package itself is classified against all lists at once).
 */
function excludedBy(state: PackageState, store: RowStore, csv: boolean): (row: number) => string {
  const lists = state.exclusions.flatMap((list) => {
    if (list.set === null) return []
    const options = { kind: state.kind, csv, exclusions: [list.set] }
    return [{ name: list.name, codes: classifyRows(store, options).codes }]
  })
  return (row) =>
    lists
      .filter((list) => list.codes[row] & ROW_BIT.excluded)
      .map((list) => list.name)
      .join(';')
}

function sameBytes(before: RowStore, row: number, now: RowStore, at: number): boolean {
  if (before.length[row] !== now.length[at]) return false
  if (before.arena === now.arena && before.start[row] === now.start[at]) return true
  // Elsewhere in the arena (an edit wrote the value again): the same if the bytes are.
  const left = arenaBytes(before.arena, before.start[row], before.length[row])
  const right = arenaBytes(now.arena, now.start[at], now.length[at])
  for (let offset = 0; offset < left.length; offset++)
    if (left[offset] !== right[offset]) return false
  return true
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

function indexByLine(store: RowStore, lines: number): Int32Array {
  const index = new Int32Array(lines + 1).fill(-1)
  for (let row = 0; row < store.count; row++)
    if (lineOf(store, row) <= lines) index[lineOf(store, row)] = row
  return index
}
