import { randomUUID } from 'node:crypto'
import * as nodeFs from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { formatOf } from '../src/core/file-name.ts'
import type { ServerLog } from './proxy-upload.ts'

/** What the sandbox keeps beside each accepted package. Never the SecretKey. */
export interface SandboxRecord {
  uploadId: number
  fileName: string
  bytes: number
  sha256: string
  receivedAt: string
  accessId: string
  /** The package's file name inside `packages/`, which does not trust the uploaded name. */
  storedAs: string
}

/** An open file the sandbox writes to: what it needs of node's FileHandle. */
export interface WritableFile {
  write(data: Uint8Array, offset: number): Promise<{ bytesWritten: number }>
  close(): Promise<void>
}

/**
 * The file system calls the sandbox makes: node:fs/promises, unless a test injects faults
 * (EMFILE, ENOSPC) that a real disk would only give after filling it.
 */
export interface SandboxFs {
  open(path: string, flags: 'wx'): Promise<WritableFile>
  writeFile(path: string, data: string): Promise<void>
  readFile(path: string, encoding: 'utf8'): Promise<string>
  rename(from: string, to: string): Promise<void>
  rm(path: string, options: { force: true; recursive?: true }): Promise<void>
  mkdir(path: string, options: { recursive: true }): Promise<unknown>
  readdir(path: string): Promise<string[]>
  stat(path: string): Promise<{ size: number }>
}

export const realFs: SandboxFs = nodeFs

/** An upload being written to `incoming/`, counted against the disk budget as it grows. */
export interface IncomingFile {
  readonly path: string
  /** Bytes written so far. */
  readonly bytes: number
  /** Creates the file. */
  open(): Promise<void>
  /** Appends a chunk, once the budget has room for it (evicting old packages to make it). */
  write(chunk: Uint8Array): Promise<void>
  /** Closes the file; safe to call again. */
  close(): Promise<void>
  /** Closes and removes the file unless it was kept, and gives its bytes back. Never throws. */
  discard(): Promise<void>
}

export interface SandboxStore {
  /** A fresh file in `incoming/` for one upload. Every path out of a request discards it. */
  receive(): IncomingFile
  /** Gives the package the next uploadId and moves it, with its record, into `packages/`. */
  keep(
    incoming: IncomingFile,
    upload: { fileName: string; sha256: string; accessId: string },
  ): Promise<SandboxRecord>
  /** Bytes held now: kept packages with their records, and uploads in progress. */
  usedBytes(): number
}

/** The disk budget cannot hold an upload even with every kept package gone: HTTP 507. */
export class SandboxFull extends Error {
  constructor() {
    super('the sandbox disk budget is taken up by uploads in progress')
  }
}

export interface StoreOptions {
  /** Bytes the sandbox may hold; the oldest packages go first to make room. */
  maxBytes: number
  fs?: SandboxFs
  log: ServerLog
}

const counterSchema = z.object({ lastUploadId: z.int().nonnegative() })
// The names keep() writes: `<uploadId>.json` and `<uploadId>.<format or bin>`.
const STORED_NAME = /^(\d+)\.(?:json|txt|csv|zip|bin)$/

interface KeptPackage {
  bytes: number
  files: string[]
}

export async function openSandboxStore(dir: string, options: StoreOptions): Promise<SandboxStore> {
  const { maxBytes, log, fs = realFs } = options
  const incoming = join(dir, 'incoming')
  const packages = join(dir, 'packages')
  const counterPath = join(dir, 'upload-counter.json')
  await fs.mkdir(incoming, { recursive: true })
  await fs.mkdir(packages, { recursive: true })

  // Nothing in incoming/ outlives its request; what is there was left by a process that died.
  for (const name of await fs.readdir(incoming)) {
    await fs.rm(join(incoming, name), { force: true, recursive: true })
  }
  for (const name of await fs.readdir(dir)) {
    if (name.endsWith('.tmp')) await fs.rm(join(dir, name), { force: true })
  }

  // Oldest first: uploadIds only grow, and a Map keeps the order entries were added in.
  const kept = new Map<number, KeptPackage>()
  let keptBytes = 0
  let incomingBytes = 0
  const found = new Map<number, KeptPackage>()
  for (const name of await fs.readdir(packages)) {
    const match = STORED_NAME.exec(name)
    if (match === null) {
      // A record half written when a process died.
      if (name.endsWith('.tmp')) await fs.rm(join(packages, name), { force: true })
      continue
    }
    const uploadId = Number(match[1])
    const entry = found.get(uploadId) ?? { bytes: 0, files: [] }
    entry.bytes += (await fs.stat(join(packages, name))).size
    entry.files.push(name)
    found.set(uploadId, entry)
  }
  for (const uploadId of [...found.keys()].sort((a, b) => a - b)) {
    const entry = found.get(uploadId)
    if (entry === undefined) continue
    kept.set(uploadId, entry)
    keptBytes += entry.bytes
  }

  // Accounting moves at once, before any await, so that two evictions never pick the same
  // package and never remove more than the budget needs.
  const evictBeyondBudget = async () => {
    while (keptBytes + incomingBytes > maxBytes) {
      const oldest = kept.entries().next()
      if (oldest.done) return
      const [uploadId, entry] = oldest.value
      kept.delete(uploadId)
      keptBytes -= entry.bytes
      for (const name of entry.files) {
        await fs.rm(join(packages, name), { force: true }).catch((error: unknown) => {
          log.warn(`tpns sandbox: could not evict uploadId ${uploadId} (${errorCode(error)})`)
        })
      }
    }
  }
  const claim = async (bytes: number) => {
    if (incomingBytes + bytes > maxBytes) throw new SandboxFull()
    incomingBytes += bytes
    await evictBeyondBudget()
  }
  await evictBeyondBudget()

  // uploadIds are handed out one at a time, so two uploads finishing together never share one.
  let queue: Promise<unknown> = Promise.resolve()
  const nextUploadId = () => {
    const next = queue.then(async () => {
      const last = await readCounter(fs, counterPath)
      await writeAtomically(fs, counterPath, JSON.stringify({ lastUploadId: last + 1 }))
      return last + 1
    })
    queue = next.catch(() => undefined)
    return next
  }

  const keptFiles = new WeakSet<IncomingFile>()

  const receive = (): IncomingFile => {
    const path = join(incoming, `${randomUUID()}.part`)
    let handle: WritableFile | null = null
    let bytes = 0
    let discarded = false
    const close = async () => {
      const open = handle
      handle = null
      await open?.close()
    }
    const file: IncomingFile = {
      path,
      get bytes() {
        return bytes
      },
      async open() {
        handle = await fs.open(path, 'wx')
      },
      async write(chunk) {
        if (handle === null) throw new Error('the incoming file is not open')
        await claim(chunk.length)
        bytes += chunk.length
        await writeAll(handle, chunk)
      },
      close,
      async discard() {
        if (discarded || keptFiles.has(file)) return
        discarded = true
        await close().catch((error: unknown) => {
          log.warn(`tpns sandbox: could not close an upload (${errorCode(error)})`)
        })
        await fs.rm(path, { force: true }).catch((error: unknown) => {
          log.warn(`tpns sandbox: could not remove an upload (${errorCode(error)})`)
        })
        incomingBytes -= bytes
      },
    }
    return file
  }

  return {
    receive,
    usedBytes: () => keptBytes + incomingBytes,
    async keep(file, upload) {
      await file.close()
      const uploadId = await nextUploadId()
      const record: SandboxRecord = {
        uploadId,
        fileName: upload.fileName,
        bytes: file.bytes,
        sha256: upload.sha256,
        receivedAt: new Date().toISOString(),
        accessId: upload.accessId,
        storedAs: `${uploadId}.${formatOf(upload.fileName) ?? 'bin'}`,
      }
      const recordName = `${uploadId}.json`
      const recordText = JSON.stringify(record, null, 2)
      const recordBytes = Buffer.byteLength(recordText)
      await claim(recordBytes)
      try {
        await writeAtomically(fs, join(packages, recordName), recordText)
        await fs.rename(file.path, join(packages, record.storedAs))
      } catch (error) {
        incomingBytes -= recordBytes
        await fs.rm(join(packages, recordName), { force: true }).catch(() => undefined)
        throw error
      }
      // The package's bytes move from incoming to kept, its record's with them.
      keptFiles.add(file)
      incomingBytes -= file.bytes + recordBytes
      kept.set(uploadId, { bytes: file.bytes + recordBytes, files: [record.storedAs, recordName] })
      keptBytes += file.bytes + recordBytes
      return record
    },
  }
}

// A write to a regular file may be short only when the disk fills; the next one then fails.
async function writeAll(handle: WritableFile, chunk: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset)
    if (bytesWritten <= 0) throw new Error('a write made no progress')
    offset += bytesWritten
  }
}

async function readCounter(fs: SandboxFs, path: string): Promise<number> {
  let text: string
  try {
    text = await fs.readFile(path, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 0
    throw error
  }
  return counterSchema.parse(JSON.parse(text)).lastUploadId
}

// Write-then-rename: a crash leaves the old file or the new one, never half of either.
async function writeAtomically(fs: SandboxFs, path: string, content: string): Promise<void> {
  const temp = `${path}.${randomUUID()}.tmp`
  try {
    await fs.writeFile(temp, content)
    await fs.rename(temp, path)
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
}

/** A system error's code (ENOSPC, EMFILE, ...), which says what failed without any path. */
export function errorCode(error: unknown): string {
  if (error instanceof SandboxFull) return 'budget full'
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return error.code
  }
  return error instanceof Error ? error.name : 'unknown error'
}
