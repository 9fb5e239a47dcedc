import { readFile } from 'node:fs/promises'
import { parentPort, workerData } from 'node:worker_threads'
import { z } from 'zod'
import { checkPackage } from './check-package.ts'

// One package per worker: the worker reads it from disk, checks it with the page's rules and
// posts the verdict. The bytes, and the up to 512 MiB a zip inflates to, never reach the
// thread that serves requests, and all of it goes when the worker ends.
// No top-level await: from sources this file is loaded through tsx's require hook.
const input = z.object({ path: z.string(), fileName: z.string() }).parse(workerData)
void readFile(input.path)
  .then((bytes) => checkPackage(input.fileName, bytes))
  .then((check) => parentPort?.postMessage(check))
