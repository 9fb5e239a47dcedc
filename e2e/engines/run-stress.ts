import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { startPreview } from '../../src/testing/node/preview-server.ts'
import { startDriver } from './browser-drivers.ts'
import { ENGINES } from './driver-page.ts'
import { dropStress, largePackage, stressPackages, writePackages } from './drop-stress.ts'

/**
 * The drop stress test in each engine, against the built app with a busy CPU beside it.
 * `npm test` runs it small; a soak: STRESS_DROPS=1000 STRESS_ENGINES=chromium npm run test:stress.
 */
const settings = z
  .object({
    STRESS_DROPS: z.coerce.number().int().positive().default(40),
    STRESS_ENGINES: z
      .string()
      .default(ENGINES.join(','))
      .transform((value) => value.split(',').map((item) => item.trim()))
      .pipe(z.array(z.enum(ENGINES)).min(1)),
    STRESS_LIMIT_MS: z.coerce.number().int().positive().default(15_000),
    STRESS_SEED: z.coerce.number().int().default(7),
  })
  .parse(process.env)

const dir = await mkdtemp(join(tmpdir(), 'tpns-stress-'))
const preview = await startPreview({})
// One core kept busy, as on a marketer's laptop with a spreadsheet recalculating.
const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
let failed = false
try {
  const write = async (name: string, bytes: Uint8Array) => {
    await writeFile(join(dir, name), bytes)
    return join(dir, name)
  }
  const packages = await writePackages(write, await stressPackages())
  const [large] = await writePackages(write, [largePackage()])
  for (const engine of settings.STRESS_ENGINES) {
    const started = Date.now()
    const driver = await startDriver(engine)
    try {
      const result = await dropStress(engine, await driver.newPage(), {
        url: preview.url,
        drops: settings.STRESS_DROPS,
        packages,
        large,
        limitMs: settings.STRESS_LIMIT_MS,
        seed: settings.STRESS_SEED,
        log: console.log,
      })
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      console.log(
        `${engine}: ${result.drops} drops checked, ${result.fresh} right after a page load, ` +
          `${result.replaced} replaced mid-read, ${result.cancelled} cancels; ${seconds} s`,
      )
    } catch (error) {
      failed = true
      console.error(error instanceof Error ? error.message : String(error))
    } finally {
      await driver.close()
    }
  }
} finally {
  busy.kill()
  await preview.close()
  await rm(dir, { recursive: true, force: true })
}
console.log(failed ? '0 passed, 1 failed' : '1 passed, 0 failed')
process.exit(failed ? 1 : 0)
