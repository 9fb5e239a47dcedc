import type JSZip from 'jszip'
import { formatOf, type PackageFormat } from './file-name.ts'
import { MAX_INFLATED_BYTES, type PackageProblem } from './problem-codes.ts'

export type ZipReading =
  | {
      ok: true
      entryName: string
      format: PackageFormat
      bytes: Uint8Array
      problems: PackageProblem[]
    }
  | { ok: false; problems: PackageProblem[] }

export interface ZipOptions {
  maxInflatedBytes?: number
  onProgress?: (inflated: number, declared: number) => void
}

/**
 * Finds the one token file in a zip and inflates it, counting bytes as they come so that a
 * zip which lies about its sizes is stopped at the cap instead of inflated whole.
 */
export async function readZip(bytes: Uint8Array, options: ZipOptions = {}): Promise<ZipReading> {
  const cap = options.maxInflatedBytes ?? MAX_INFLATED_BYTES
  // Loaded when a zip comes: most packages are text, and the worker starts faster without it.
  const { default: JSZipLoader } = await import('jszip')
  let zip: JSZip
  try {
    zip = await JSZipLoader.loadAsync(bytes, { checkCRC32: false })
  } catch {
    return { ok: false, problems: [{ code: 'zip-corrupt' }] }
  }
  const entries = Object.values(zip.files)
  const problems: PackageProblem[] = []
  const hidden = entries.filter((entry) => isOsMetadata(originalName(entry)))
  if (hidden.length > 0) problems.push({ code: 'zip-hidden', names: hidden.map(originalName) })

  const visible = entries.filter((entry) => !isOsMetadata(originalName(entry)))
  const tokenFiles = visible.filter(
    (entry) => !entry.dir && formatOf(entry.name) !== 'zip' && formatOf(entry.name) !== null,
  )
  if (tokenFiles.length !== 1) {
    problems.push({
      code: 'zip-entries',
      count: tokenFiles.length,
      names: (tokenFiles.length ? tokenFiles : visible).map(originalName).slice(0, 20),
    })
    return { ok: false, problems }
  }
  const entry = tokenFiles[0]
  const name = originalName(entry)
  const folders = visible.filter((other) => other.dir).map(originalName)
  if (/[/\\]/.test(name) || folders.length > 0) {
    problems.push({ code: 'zip-folder', names: /[/\\]/.test(name) ? [name] : folders.slice(0, 20) })
  }

  const declared = entries.reduce((sum, other) => sum + (declaredSize(other) ?? 0), 0)
  if (declared > cap) {
    problems.push({ code: 'zip-bomb', count: declared })
    return { ok: false, problems }
  }
  const inflated = await inflate(entry, declaredSize(entry) ?? 0, cap, options.onProgress)
  if (inflated === 'bomb')
    return { ok: false, problems: [...problems, { code: 'zip-bomb', count: cap }] }
  if (inflated === 'corrupt') return { ok: false, problems: [...problems, { code: 'zip-corrupt' }] }
  const format = formatOf(entry.name)
  if (format === null) return { ok: false, problems }
  return { ok: true, entryName: name, format, bytes: inflated, problems }
}

/** Entries that operating systems add on their own: macOS Finder, Windows Explorer. */
export function isOsMetadata(path: string): boolean {
  const base = path.replace(/\/+$/, '').split(/[/\\]/).pop() ?? ''
  return (
    /(^|[/\\])__MACOSX([/\\]|$)/.test(path) ||
    base.startsWith('._') ||
    base === '.DS_Store' ||
    base.toLowerCase() === 'thumbs.db' ||
    base.toLowerCase() === 'desktop.ini'
  )
}

function originalName(entry: JSZip.JSZipObject): string {
  return entry.unsafeOriginalName ?? entry.name
}

interface StreamingEntry {
  internalStream(type: 'uint8array'): JSZip.JSZipStreamHelper<Uint8Array>
}

// jszip keeps these on the entry without typing them; read them through guards.
function canStream(entry: object): entry is StreamingEntry {
  return 'internalStream' in entry && typeof entry.internalStream === 'function'
}

function declaredSize(entry: object): number | null {
  if (!('_data' in entry)) return null
  const data = entry._data
  if (typeof data !== 'object' || data === null || !('uncompressedSize' in data)) return null
  // jszip reads the 32-bit field as a signed number: 2 GiB and more come out negative.
  return typeof data.uncompressedSize === 'number' ? data.uncompressedSize >>> 0 : null
}

type Inflated = Uint8Array | 'bomb' | 'corrupt'

/**
 * Inflates an entry with the platform's own zlib (DecompressionStream) where jszip lets us
 * at the raw bytes: several times faster than jszip's JavaScript inflate, which matters at
 * 100 MB and more still for a bomb inflated up to the cap. jszip's stream is the fallback.
 */
async function inflate(
  entry: JSZip.JSZipObject,
  declared: number,
  cap: number,
  onProgress: ZipOptions['onProgress'],
): Promise<Inflated> {
  const raw = rawEntryOf(entry)
  return raw
    ? inflateNative(raw, declared, cap, onProgress)
    : inflateWithJszip(entry, declared, cap, onProgress)
}

interface RawEntry {
  compressed: Uint8Array
  method: 'store' | 'deflate'
}

const STORE = '\x00\x00'
const DEFLATE = '\x08\x00'
const INPUT_SLICE = 64 * 1024

// jszip keeps the compressed bytes and method on the entry without typing them.
function rawEntryOf(entry: object): RawEntry | null {
  if (typeof DecompressionStream !== 'function' || !('_data' in entry)) return null
  const data = entry._data
  if (typeof data !== 'object' || data === null) return null
  if (!('compressedContent' in data) || !(data.compressedContent instanceof Uint8Array)) return null
  if (!('compression' in data) || typeof data.compression !== 'object' || data.compression === null)
    return null
  const magic = 'magic' in data.compression ? data.compression.magic : null
  if (magic !== STORE && magic !== DEFLATE) return null
  return { compressed: data.compressedContent, method: magic === STORE ? 'store' : 'deflate' }
}

async function inflateNative(
  raw: RawEntry,
  declared: number,
  cap: number,
  onProgress: ZipOptions['onProgress'],
): Promise<Inflated> {
  const { compressed } = raw
  // An entry that inflates to another size than it declares is damaged, or lying.
  if (raw.method === 'store') {
    if (compressed.length > cap) return 'bomb'
    return compressed.length === declared ? compressed.slice() : 'corrupt'
  }
  let offset = 0
  // Fed in small slices and pulled on demand, so a bomb never inflates far past the cap
  // before the count stops it: one slice inflates to 64 MB at the very most.
  const source = new ReadableStream<Uint8Array<ArrayBuffer>>({
    pull(controller) {
      if (offset >= compressed.length) return controller.close()
      controller.enqueue(compressed.slice(offset, offset + INPUT_SLICE))
      offset += INPUT_SLICE
    },
  })
  const reader = source.pipeThrough(new DecompressionStream('deflate-raw')).getReader()
  const output = new Uint8Array(Math.min(declared, cap))
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (size + value.length > cap) {
        await reader.cancel()
        return 'bomb'
      }
      // Past its declared size an entry is lying: only the count matters from there (bomb
      // or damaged), so nothing more is kept or copied.
      if (size + value.length <= declared) output.set(value, size)
      size += value.length
      onProgress?.(size, declared)
    }
  } catch {
    return 'corrupt'
  }
  return size === output.length ? output : 'corrupt'
}

function grown(
  output: Uint8Array<ArrayBuffer>,
  size: number,
  needed: number,
  cap: number,
): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(Math.min(cap, Math.max(needed, output.length * 2)))
  next.set(output.subarray(0, size))
  return next
}

function inflateWithJszip(
  entry: JSZip.JSZipObject,
  declared: number,
  cap: number,
  onProgress: ZipOptions['onProgress'],
): Promise<Inflated> {
  if (!canStream(entry)) return entry.async('uint8array').catch(() => 'corrupt' as const)
  return new Promise((resolve) => {
    let output = new Uint8Array(Math.min(declared, cap))
    let size = 0
    let done = false
    const stream = entry.internalStream('uint8array')
    stream
      .on('data', (chunk) => {
        if (done) return
        if (size + chunk.length > cap) {
          done = true
          stream.pause()
          resolve('bomb')
          return
        }
        if (size + chunk.length > output.length) {
          output = grown(output, size, size + chunk.length, cap)
        }
        output.set(chunk, size)
        size += chunk.length
        onProgress?.(size, declared)
      })
      .on('error', () => {
        if (done) return
        done = true
        resolve('corrupt')
      })
      .on('end', () => {
        if (done) return
        done = true
        resolve(output.subarray(0, size))
      })
      .resume()
  })
}
