import { buildCleanBytes, cleanFileName, planParts } from '../../core/clean-package.ts'
import { MAX_PACKAGE_BYTES } from '../../core/problem-codes.ts'
import type { RowStore } from '../../core/row-store.ts'
import type { CleanFile } from './package-worker-api.ts'
import { zipCleanFile } from './zip-clean-file.ts'

type Zipper = typeof zipCleanFile

/**
 * The clean package as files to download or upload. Text over the size limit is split into
 * parts, each its own upload, uploadId and push, unless `zip` is on and one zip of the whole
 * package fits the limit: then it is one file, as a marketer wants one audience to be.
 */
export async function buildCleanFiles(
  store: RowStore,
  fileName: string,
  zip: boolean,
  zipFile: Zipper = zipCleanFile,
  limit = MAX_PACKAGE_BYTES,
): Promise<CleanFile[]> {
  const parts = planParts(store, fileName, limit)
  if (zip && parts.length > 1) {
    const text = buildCleanBytes(store, 0, store.count)
    const whole = await zipFile(cleanFileName(fileName), text)
    if (whole.bytes.length <= limit) return [await fileOf(whole, store.count, text.length, true)]
  }
  const files: CleanFile[] = []
  for (const part of parts) {
    const text = buildCleanBytes(store, part.from, part.to)
    const packed = zip ? await zipFile(part.name, text) : { name: part.name, bytes: text }
    files.push(await fileOf(packed, part.to - part.from, text.length, zip))
  }
  return files
}

async function fileOf(
  packed: { name: string; bytes: Uint8Array<ArrayBuffer> },
  rows: number,
  textBytes: number,
  zipped: boolean,
): Promise<CleanFile> {
  return {
    name: packed.name,
    file: new Blob([packed.bytes], { type: zipped ? 'application/zip' : 'text/plain' }),
    rows,
    bytes: packed.bytes.length,
    textBytes,
    sha256: await sha256Hex(packed.bytes),
  }
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
