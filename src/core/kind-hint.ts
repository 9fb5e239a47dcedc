import { LF } from './byte-classes.ts'
import { DELIMITERS, isTokenField } from './csv-dialect.ts'
import { CsvRecords } from './csv-records.ts'
import { ROW_BIT, type PackageKind } from './problem-codes.ts'
import { rowFullText } from './row-store.ts'
import type { PackageState } from './validate-package.ts'

/** Rows looked at in an account package to tell whether they are tokens. */
const SAMPLE_ROWS = 1000
const NOT_A_TOKEN = ROW_BIT.length | ROW_BIT.charset
const SKIPPED = ROW_BIT.blank | ROW_BIT.header

/**
 * The other kind, when most rows look like it rather than like the kind chosen: an account
 * list checked as tokens (0 valid and no hint, before), or tokens checked as accounts. Read
 * as accounts, a .txt is split at tabs only (an account may hold a comma): a row holds a
 * token when one of its fields does, as it would be split were it read as tokens.
 */
export function suggestedKind(state: PackageState): PackageKind | null {
  const { codes, valid } = state.classification
  const rows = state.store.count
  if (state.kind === 'token') {
    if (valid * 2 >= rows) return null
    let counted = 0
    let notTokens = 0
    for (let row = 0; row < codes.length; row++) {
      if (codes[row] & SKIPPED) continue
      counted++
      if (codes[row] & NOT_A_TOKEN) notTokens++
    }
    return counted >= 2 && notTokens * 2 > counted ? 'account' : null
  }
  // The rows as each file was read: a fix that kept the account column has not hidden the
  // tokens behind it.
  let counted = 0
  let tokens = 0
  for (const { original } of state.sources) {
    const step = Math.max(1, Math.floor(original.store.count / SAMPLE_ROWS))
    for (let row = 0; row < original.store.count; row += step) {
      if (original.codes[row] & SKIPPED) continue
      counted++
      if (holdsToken(rowFullText(original.store, row))) tokens++
    }
  }
  return counted >= 2 && tokens * 2 > counted ? 'token' : null
}

/** Whether the row is a token, or has one in a column of its own behind a separator. */
function holdsToken(row: string): boolean {
  if (isTokenField(row)) return true
  // Fields as written, as the dialect reads them: a quoted one may hold the separator.
  return DELIMITERS.some((separator) =>
    (new CsvRecords(row, separator, LF, { raw: true }).next() ?? []).some(isTokenField),
  )
}
