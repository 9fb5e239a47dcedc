import { randomBytes } from 'node:crypto'
import JSZip from 'jszip'

/** A random valid token: 36 lowercase hex characters. */
export function token(): string {
  return randomBytes(18).toString('hex')
}

export function tokens(count: number): string[] {
  return Array.from({ length: count }, token)
}

/**
 * A CSV export as a CRM writes one, with a problem of each kind around `good` (6 tokens): a
 * header, a padded, an uppercase, a blank, a duplicate, a two-column and a non-token row.
 */
export function messyExport(good: readonly string[]): string {
  return [
    'device_token',
    ` ${good[0]}`,
    good[1].toUpperCase(),
    '',
    good[2],
    good[2],
    `${good[3]},android`,
    'not-a-token',
    good[4],
  ].join('\r\n')
}

/** A file for `setInputFiles`. */
export function filePayload(name: string, content: string | Uint8Array, mimeType = 'text/plain') {
  const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content)
  return { name, mimeType, buffer }
}

export async function zipPayload(name: string, entries: Record<string, string>) {
  const zip = new JSZip()
  for (const [entry, content] of Object.entries(entries)) zip.file(entry, content)
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' })
  return filePayload(name, bytes, 'application/zip')
}
