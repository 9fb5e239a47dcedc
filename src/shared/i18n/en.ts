/**
 * English strings. Every language file has exactly these keys (the Chinese file is typed
 * against this one), so a missing translation fails the type check.
 * `{name}` placeholders are filled by `format`.
 */
export const en = {
  'app.title': 'TPNS token package check',
  'app.tagline':
    'Check a device-token package before it goes to Tencent Push: every problem found, fixed and uploaded clean.',
  'language.label': 'Language',
  'drop.title': 'Drop a token package here',
  'drop.hint':
    '.txt, .csv, or a .zip holding one of them; up to 100 MB. It is read in this browser and goes nowhere until you upload it.',
  'drop.choose': 'Choose a file',
  'drop.active': 'Drop to check it',
  'drop.another': 'Check another file',
  'read.reading': 'Reading {name}…',
  'read.inflating': 'Unpacking {name}…',
  'read.scanning': 'Checking rows…',
  'read.cancel': 'Cancel',
  'read.cancelled': 'Reading was cancelled.',
  'read.failed': 'This file could not be read: {message}',
  'kind.label': 'Package of',
  'kind.token': 'Device tokens',
  'kind.account': 'Accounts',
  'verdict.ready': 'Ready to upload',
  'verdict.needs-fixes': 'Needs fixes',
  'verdict.unreadable': 'Cannot be read',
  'verdict.ready.detail':
    'Every row is a valid, unique value. TPNS will take this package as it is.',
  'verdict.needs-fixes.detail':
    'TPNS would reject this package or push to dead tokens. The fixes below make it clean.',
  'verdict.unreadable.detail': 'Nothing in this file can be used as it is. See why below.',
  'count.rows': 'Rows',
  'count.valid': 'Valid',
  'count.problems': 'With problems',
  'summary.file': 'File',
  'summary.entry': 'inside the zip: {name}',
  'summary.size': 'Size',
  'problems.package': 'About the file',
  'problems.rows': 'Problems in rows',
  'problems.none': 'No problems found.',

  'problem.name-length': 'The file name has {count} characters; TPNS takes 1 to 100.',
  'problem.name-length.what': 'The clean package gets a name of at most 100 characters.',
  'problem.extension': 'TPNS takes only .zip, .txt or .csv files; this one ends in “{names}”.',
  'problem.extension.what': 'It was read as text; the clean package is a .txt file.',
  'problem.too-large': 'The file is {size}; TPNS takes at most 100 MB (104,857,600 bytes).',
  'problem.too-large.what':
    'Fixes may make it small enough; otherwise it can be split into parts under the limit.',
  'problem.empty': 'The package holds no tokens: the file has no bytes or no rows.',
  'problem.empty.what': 'Choose the file that holds the tokens.',
  'problem.zip-corrupt':
    'This is not a readable zip file: it is damaged, cut short, or another kind of file.',
  'problem.zip-corrupt.what': 'Zip the token file again, or drop the .txt or .csv itself.',
  'problem.zip-entries':
    'A zip for TPNS must hold exactly one .txt or .csv file; this one holds {count}.',
  'problem.zip-entries.what': 'Zip just the one token file, or drop it by itself.',
  'problem.zip-folder':
    'The token file sits inside a folder in the zip ({names}); TPNS takes no folders.',
  'problem.zip-folder.what': 'The clean package is the file on its own, out of any folder.',
  'problem.zip-hidden':
    'This zip holds hidden system files ({names}), such as those a Mac adds; TPNS then calls the package invalid.',
  'problem.zip-hidden.what': 'The clean package leaves them out.',
  'problem.zip-bomb': 'This zip would unpack to more than 512 MiB, so it was not unpacked.',
  'problem.zip-bomb.what': 'A token package is at most 100 MB; check that this is the right file.',
  'problem.encoding-bom':
    'The file starts with a byte order mark (BOM), which TPNS would read as part of the first token.',
  'problem.encoding-bom.what': 'The clean package is UTF-8 without a BOM.',
  'problem.encoding-utf16': 'The file is UTF-16 text; TPNS takes UTF-8.',
  'problem.encoding-utf16.what':
    'It was converted so its rows can be checked; the clean package is UTF-8.',
  'problem.encoding-invalid':
    'The file is not UTF-8 text (it may be binary, a spreadsheet, or text in another encoding such as GBK).',
  'problem.encoding-invalid.what': 'Save it as UTF-8 text (.txt or .csv) and drop it again.',
  'problem.csv-columns': '{count} rows have more than one column; a TPNS .csv has one column only.',
  'problem.csv-columns.what': 'Keeping the first column makes it a one-column file.',

  'row.blank': 'Blank rows',
  'row.blank.what': 'Empty or only spaces. They carry no token.',
  'row.whitespace': 'Spaces around the value',
  'row.whitespace.what': 'Spaces or tabs before or after the token would become part of it.',
  'row.length': 'Wrong length',
  'row.length.what': 'A token has exactly 36 characters.',
  'row.length.account.what': 'An account has 2 to 100 characters.',
  'row.charset': 'Characters that do not belong',
  'row.charset.what': 'A token holds only the hex digits 0–9 and a–f.',
  'row.charset.account.what': 'An account holds no control characters.',
  'row.uppercase': 'Uppercase letters',
  'row.uppercase.what':
    'Tokens are written in lowercase; the same token in uppercase does not match a device.',
  'row.duplicate': 'Duplicates',
  'row.duplicate.what': 'The same value as an earlier row; the device would be counted twice.',
  'row.header': 'Header row',
  'row.header.what': 'The first row is a column name, not a token.',
} as const

export type MessageKey = keyof typeof en
export type Messages = Record<MessageKey, string>
