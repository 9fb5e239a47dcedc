/** Row problem codes (CONTRACT.md), each one bit of a row's code mask. */
export const ROW_CODES = [
  'blank',
  'whitespace',
  'length',
  'charset',
  'uppercase',
  'duplicate',
  'header',
  'invisible',
  'wrapped',
  'excluded',
] as const
export type RowCode = (typeof ROW_CODES)[number]

export const ROW_BIT = {
  blank: 1,
  whitespace: 2,
  length: 4,
  charset: 8,
  uppercase: 16,
  duplicate: 32,
  header: 64,
  // 128 is EXTRA_COLUMNS_BIT.
  invisible: 256,
  wrapped: 512,
  excluded: 1024,
} as const satisfies Record<RowCode, number>

/** Not a row code: a CSV row with more than one column; it makes the `csv-columns` package problem. */
export const EXTRA_COLUMNS_BIT = 128

/** Every bit that makes a row invalid: every row code's. */
export const INVALID_MASK = ROW_CODES.reduce((mask, code) => mask | ROW_BIT[code], 0)

/** One code mask per row: ROW_BIT values and EXTRA_COLUMNS_BIT (16 bits: the codes outgrew 8). */
export type RowCodes = Uint16Array<ArrayBuffer>

/** Package problem codes (CONTRACT.md): about the file as a whole. */
export const PACKAGE_CODES = [
  'name-length',
  'extension',
  'too-large',
  'empty',
  'zip-corrupt',
  'zip-entries',
  'zip-folder',
  'zip-hidden',
  'zip-bomb',
  'encoding-bom',
  'encoding-utf16',
  'encoding-invalid',
  'encoding-legacy',
  'spreadsheet',
  'csv-columns',
] as const
export type PackageCode = (typeof PACKAGE_CODES)[number]

/** Package problems that leave nothing to work on: no rows can be read or trusted. */
export const UNREADABLE_CODES: ReadonlySet<PackageCode> = new Set([
  'empty',
  'zip-corrupt',
  'zip-entries',
  'zip-bomb',
  'encoding-invalid',
  'spreadsheet',
])

export type PackageKind = 'token' | 'account'
export type Verdict = 'ready' | 'needs-fixes' | 'unreadable'

export interface PackageProblem {
  code: PackageCode
  /** Entry names, sizes or counts that make the message specific. */
  names?: string[]
  count?: number
  /** In a package of several files: the file the problem is in. */
  source?: string
}

export const MAX_PACKAGE_BYTES = 104_857_600
export const MAX_INFLATED_BYTES = 512 * 1024 * 1024
export const MAX_NAME_LENGTH = 100
export const TOKEN_LENGTH = 36
export const ACCOUNT_MIN_LENGTH = 2
export const ACCOUNT_MAX_LENGTH = 100

export function isRowCode(value: string): value is RowCode {
  return (ROW_CODES as readonly string[]).includes(value)
}

export function isPackageCode(value: string): value is PackageCode {
  return (PACKAGE_CODES as readonly string[]).includes(value)
}
