import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { formatOf } from '../src/core/file-name.ts'

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

export interface ReceivedPackage {
  fileName: string
  tempPath: string
  bytes: number
  sha256: string
}

export interface SandboxStore {
  /** A fresh path to stream an incoming file to before it is judged. */
  incomingPath(): string
  /** Gives the package the next uploadId and moves it, with its record, into `packages/`. */
  keep(received: ReceivedPackage, accessId: string): Promise<SandboxRecord>
}

const counterSchema = z.object({ lastUploadId: z.int().nonnegative() })

export async function openSandboxStore(dir: string): Promise<SandboxStore> {
  const incoming = join(dir, 'incoming')
  const packages = join(dir, 'packages')
  const counterPath = join(dir, 'upload-counter.json')
  await mkdir(incoming, { recursive: true })
  await mkdir(packages, { recursive: true })

  // uploadIds are handed out one at a time, so two uploads finishing together never share one.
  let queue: Promise<unknown> = Promise.resolve()
  const nextUploadId = () => {
    const next = queue.then(async () => {
      const last = await readCounter(counterPath)
      await writeAtomically(counterPath, JSON.stringify({ lastUploadId: last + 1 }))
      return last + 1
    })
    queue = next.catch(() => undefined)
    return next
  }

  return {
    incomingPath: () => join(incoming, `${randomUUID()}.part`),
    async keep(received, accessId) {
      const uploadId = await nextUploadId()
      const record: SandboxRecord = {
        uploadId,
        fileName: received.fileName,
        bytes: received.bytes,
        sha256: received.sha256,
        receivedAt: new Date().toISOString(),
        accessId,
        storedAs: `${uploadId}.${formatOf(received.fileName) ?? 'bin'}`,
      }
      await rename(received.tempPath, join(packages, record.storedAs))
      await writeAtomically(join(packages, `${uploadId}.json`), JSON.stringify(record, null, 2))
      return record
    },
  }
}

async function readCounter(path: string): Promise<number> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 0
    throw error
  }
  return counterSchema.parse(JSON.parse(text)).lastUploadId
}

// Write-then-rename: a crash leaves the old file or the new one, never half of either.
async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.${randomUUID()}.tmp`
  await writeFile(temp, content)
  await rename(temp, path)
}
