import { appendFileSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { z } from 'zod'

/**
 * A stand-in for server/check-worker.ts, for tests of how checks are run rather than of what
 * they find. `fileName` says what to do: `wait-<ms>` answers "ready" after that long, `hang`
 * never answers, `throw` fails, `exit` ends the worker without an answer. Each start and end
 * is appended to the file at `path`, with the time, to see how many ran at once.
 */
const { path, fileName } = z.object({ path: z.string(), fileName: z.string() }).parse(workerData)
const note = (what: string) =>
  appendFileSync(path, `${what} ${performance.timeOrigin + performance.now()}\n`)

note('start')
if (fileName === 'throw') throw new Error('the check failed')
if (fileName === 'exit') process.exit(3)
if (fileName !== 'hang') {
  setTimeout(
    () => {
      note('end')
      parentPort?.postMessage({ verdict: 'ready', codes: [] })
    },
    Number(fileName.replace('wait-', '')),
  )
} else {
  setInterval(() => undefined, 1_000)
}
