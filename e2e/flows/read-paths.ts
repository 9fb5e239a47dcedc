import assert from 'node:assert/strict'
import { z } from 'zod'
import { token, tokens } from '../fixtures.ts'
import type { Flow } from './flow.ts'
import { counts, drop } from './page-hooks.ts'

/** The two features the shared-memory path needs, read in the page, each for itself. */
const FEATURES = `({
  isolated: globalThis.crossOriginIsolated === true,
  sharedMemory: typeof SharedArrayBuffer === 'function',
})`
const features = z.object({ isolated: z.boolean(), sharedMemory: z.boolean() })

/** The worker scripts the page has loaded (Resource Timing lists them in every engine). */
const WORKER_SCRIPTS = `performance.getEntriesByType('resource')
  .map((entry) => new URL(entry.name).pathname)
  .filter((path) => path.includes('.worker'))`

/**
 * Served with COOP and COEP, and without them (behind a proxy that drops them), the page must
 * read with two workers and shared memory exactly where the engine is cross-origin isolated
 * and has SharedArrayBuffer, else with its one package worker. WebKitGTK is the engine that
 * tells the two apart: isolated, yet without SharedArrayBuffer.
 */
export const readPaths: Flow = {
  name: 'each read path: two workers and shared memory only where both features are there',
  async run({ page, url, urlWithoutIsolation, file, note }) {
    // Rows for each row check, so that each path is seen to check as well as to read.
    const good = tokens(2_000)
    const rows = [...good, good[3], `\t${token()}`, token().toUpperCase()]
    const path = await file('paths.txt', rows.join('\n') + '\n')
    for (const [served, at] of [
      ['isolated', url],
      ['not isolated', urlWithoutIsolation],
    ] as const) {
      await page.open(at)
      const has = features.parse(await page.evaluate(FEATURES))
      assert.equal(has.isolated, served === 'isolated', `crossOriginIsolated, served ${served}`)
      assert.equal(await drop(page, path), 'needs-fixes')
      assert.deepEqual(await counts(page), {
        rows: 2_003,
        valid: 2_000,
        duplicate: 1,
        whitespace: 1,
        uppercase: 1,
      })

      const scripts = z.array(z.string()).parse(await page.evaluate(WORKER_SCRIPTS))
      const shared = has.isolated && has.sharedMemory
      const seen = `crossOriginIsolated ${has.isolated}, SharedArrayBuffer ${has.sharedMemory ? 'present' : 'missing'}`
      assert.ok(
        scripts.some((script) => script.includes('package.worker')),
        `${served}: no package worker was loaded (${scripts.join(', ')})`,
      )
      assert.equal(
        scripts.some((script) => script.includes('file-reader.worker')),
        shared,
        `${served}, ${seen}: expected ${shared ? 'the reader worker beside the package worker' : 'the package worker alone'}, the page loaded ${scripts.join(', ')}`,
      )
      note(`${served}: ${seen} → ${shared ? 'two workers, shared memory' : 'one worker'}`)
    }
  },
}
