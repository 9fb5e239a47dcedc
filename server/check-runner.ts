import { access } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { z } from 'zod'
import type { PackageCheck } from './check-package.ts'

export interface CheckRunner {
  /**
   * Checks the package at `path` in a worker of its own, once one of the slots is free.
   * Rejects when `signal` aborts (the client went away), when the check outlives the timeout,
   * or when the worker fails.
   */
  check(path: string, fileName: string, signal: AbortSignal): Promise<PackageCheck>
}

export interface CheckRunnerOptions {
  /** Checks that may run at once; the others wait their turn. */
  concurrency?: number
  /** A check still running after this long is stopped. */
  timeoutMs?: number
  /** The worker's entry; check-worker.ts beside this file, or check-worker.js in a bundle. */
  workerEntry?: URL
}

/** Checks that run at once by default: one core for them, the other for serving requests. */
export const DEFAULT_CHECK_CONCURRENCY = 1
/** Under the proxy's 60 s of upstream silence, after which nobody waits for the answer. */
export const DEFAULT_CHECK_TIMEOUT_MS = 50_000

const checkSchema = z.object({
  verdict: z.enum(['ready', 'needs-fixes', 'unreadable']),
  codes: z.array(z.string()),
}) satisfies z.ZodType<PackageCheck>

export class CheckTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`the package check took longer than ${timeoutMs} ms`)
  }
}

/**
 * The worker entry that sits beside this module: check-worker.ts when the server runs from its
 * TypeScript sources (tsx, vitest), check-worker.js when it runs from a bundle that ships the
 * worker as an entry of its own beside it.
 */
export function defaultWorkerEntry(): URL {
  const name = import.meta.url.endsWith('.ts') ? 'check-worker.ts' : 'check-worker.js'
  // Through a variable: bundlers rewrite `new URL('literal', import.meta.url)` into an asset.
  return new URL(name, import.meta.url)
}

/** Fails at start-up, naming the file, when the worker entry is not where it should be. */
export async function assertWorkerEntry(entry: URL): Promise<void> {
  try {
    await access(entry)
  } catch {
    throw new Error(
      `The sandbox's package check worker is missing: ${fileURLToPath(entry)}. A bundled server ships server/check-worker.ts, built, beside the bundle.`,
    )
  }
}

export function createCheckRunner(options: CheckRunnerOptions = {}): CheckRunner {
  const concurrency = options.concurrency ?? DEFAULT_CHECK_CONCURRENCY
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS
  const entry = options.workerEntry ?? defaultWorkerEntry()
  let running = 0
  const waiting: (() => void)[] = []

  const release = () => {
    running -= 1
    waiting.shift()?.()
  }
  // A free slot, or a place in line that the client's going away gives up.
  const acquire = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason)
      if (running < concurrency) {
        running += 1
        return resolve()
      }
      const turn = () => {
        signal.removeEventListener('abort', leave)
        running += 1
        resolve()
      }
      const leave = () => {
        waiting.splice(waiting.indexOf(turn), 1)
        reject(signal.reason)
      }
      waiting.push(turn)
      signal.addEventListener('abort', leave, { once: true })
    })

  return {
    async check(path, fileName, signal) {
      await acquire(signal)
      try {
        return await runWorker(entry, { path, fileName }, signal, timeoutMs)
      } finally {
        release()
      }
    },
  }
}

function runWorker(
  entry: URL,
  input: { path: string; fileName: string },
  signal: AbortSignal,
  timeoutMs: number,
): Promise<PackageCheck> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(entry, input)
    let settled = false
    const stop = (outcome: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal.removeEventListener('abort', aborted)
      // Whatever the outcome, the worker and the memory it holds go at once.
      void worker.terminate()
      outcome()
    }
    const aborted = () => stop(() => reject(signal.reason))
    const timer = setTimeout(() => stop(() => reject(new CheckTimeout(timeoutMs))), timeoutMs)
    signal.addEventListener('abort', aborted, { once: true })
    worker.on('message', (message: unknown) => {
      const parsed = checkSchema.safeParse(message)
      stop(() => (parsed.success ? resolve(parsed.data) : reject(new Error('bad check answer'))))
    })
    // Listened to for the worker's whole life: an 'error' nobody listens to would throw here.
    worker.on('error', (error) => stop(() => reject(error)))
    worker.on('exit', (code) => stop(() => reject(new Error(`check worker exited (${code})`))))
  })
}

function startWorker(entry: URL, workerData: { path: string; fileName: string }): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData })
  // Node 20 loads a worker's entry before any ESM loader hook it inherits takes effect
  // (nodejs/node#47747), so `--import tsx` cannot load a .ts entry. tsx's require hook can:
  // registered by a line of plain JavaScript first, it then loads the TypeScript entry.
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs')
  const script = `require(${JSON.stringify(tsx)}); require(${JSON.stringify(fileURLToPath(entry))})`
  return new Worker(script, { eval: true, workerData })
}
