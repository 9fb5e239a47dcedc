import { spawn } from 'node:child_process'
import { z } from 'zod'
import { startServer } from '../../src/testing/node/app-server.ts'
import { startProxyWithoutIsolation } from '../../src/testing/node/without-isolation.ts'
import { createFlowFiles } from '../flows/flow-files.ts'
import { runFlow, type Flow } from '../flows/flow.ts'
import { FLOWS } from '../flows/flow-list.ts'
import { startDriver } from './browser-drivers.ts'
import { ENGINES, type Driver, type Engine } from './driver-page.ts'
import { dropStress, largePackage, stressPackages, writePackages } from './drop-stress.ts'

/**
 * The cross-engine end-to-end run against the built app: the shared flows (e2e/flows/) in
 * Firefox and WebKit (Chromium runs them under Playwright, e2e/flows.spec.ts), then the drop
 * stress test in all three with a CPU core kept busy. Every flow runs, and each is reported;
 * any failure fails the run. No retries.
 *
 * FLOW_ENGINES (default firefox,webkit; `none` for none) and FLOWS (part of a flow's name)
 * choose flows; STRESS_ENGINES (default all three), STRESS_DROPS (default 40, 0 for none),
 * STRESS_LIMIT_MS and STRESS_SEED the stress. A soak:
 * FLOW_ENGINES=none STRESS_DROPS=1000 STRESS_ENGINES=chromium npm run test:engines.
 */
const engineList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => (value === 'none' ? [] : value.split(',').map((item) => item.trim())))
    .pipe(z.array(z.enum(ENGINES)))

const settings = z
  .object({
    FLOW_ENGINES: engineList('firefox,webkit'),
    FLOWS: z.string().default(''),
    STRESS_ENGINES: engineList(ENGINES.join(',')),
    STRESS_DROPS: z.coerce.number().int().min(0).default(40),
    STRESS_LIMIT_MS: z.coerce.number().int().positive().default(15_000),
    STRESS_SEED: z.coerce.number().int().default(7),
  })
  .parse(process.env)

/** A flow that has not ended by then hangs: it fails, and the next one runs. */
const FLOW_TIMEOUT_MS = 120_000

const flows = FLOWS.filter((flow) => flow.name.includes(settings.FLOWS))
const stressDrops = settings.STRESS_DROPS
const engines = ENGINES.filter(
  (engine) =>
    (settings.FLOW_ENGINES.includes(engine) && flows.length > 0) ||
    (settings.STRESS_ENGINES.includes(engine) && stressDrops > 0),
)

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`
let passed = 0
const failures: string[] = []
const summary: string[] = []

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms.`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

// The production server, as `npm start` runs it: it says so when the app is not built.
const server = await startServer({})
const withoutIsolation = await startProxyWithoutIsolation(server.url)
const files = await createFlowFiles()

async function runFlows(driver: Driver, engine: Engine): Promise<string> {
  const started = Date.now()
  let ok = 0
  for (const flow of flows) {
    const flowStarted = Date.now()
    const notes: string[] = []
    try {
      await withTimeout(runOne(driver, engine, flow, notes), FLOW_TIMEOUT_MS, flow.name)
      ok++
      passed++
      console.log(`  ✓ [${engine}] › ${flow.name} (${seconds(Date.now() - flowStarted)})`)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      failures.push(`[${engine}] › ${flow.name}\n    ${message.replaceAll('\n', '\n    ')}`)
      console.log(`  ✘ [${engine}] › ${flow.name} (${seconds(Date.now() - flowStarted)})`)
    }
    for (const note of notes) console.log(`      ${note}`)
  }
  return `${ok}/${flows.length} flows in ${seconds(Date.now() - started)}`
}

async function runOne(driver: Driver, engine: Engine, flow: Flow, notes: string[]) {
  const page = await driver.newPage()
  try {
    await runFlow(flow, {
      engine,
      page,
      url: server.url,
      urlWithoutIsolation: withoutIsolation.url,
      file: files.file,
      note: (line) => notes.push(line),
    })
  } finally {
    await page.close()
  }
}

async function runStress(driver: Driver, engine: Engine): Promise<string> {
  const started = Date.now()
  const dir = await createFlowFiles()
  // One core kept busy, as on a marketer's laptop with a spreadsheet recalculating.
  const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
  const page = await driver.newPage()
  try {
    const packages = await writePackages(dir.file, await stressPackages())
    const [large] = await writePackages(dir.file, [largePackage()])
    const result = await dropStress(engine, page, {
      url: server.url,
      drops: stressDrops,
      packages,
      large,
      limitMs: settings.STRESS_LIMIT_MS,
      seed: settings.STRESS_SEED,
      log: console.log,
    })
    passed++
    const line =
      `${result.drops} drops checked, ${result.fresh} right after a page load, ` +
      `${result.replaced} replaced mid-read, ${result.cancelled} cancels`
    console.log(`  ✓ [${engine}] › drop stress: ${line} (${seconds(Date.now() - started)})`)
    return `stress ${result.drops} drops in ${seconds(Date.now() - started)}`
  } catch (error) {
    failures.push(
      `[${engine}] › drop stress\n    ${error instanceof Error ? error.message : error}`,
    )
    console.log(`  ✘ [${engine}] › drop stress (${seconds(Date.now() - started)})`)
    return 'stress failed'
  } finally {
    busy.kill()
    await page.close()
    await dir.remove()
  }
}

try {
  for (const engine of engines) {
    const started = Date.now()
    let driver: Driver
    try {
      driver = await startDriver(engine)
    } catch (error) {
      failures.push(
        `[${engine}] could not start: ${error instanceof Error ? error.message : error}`,
      )
      continue
    }
    const parts: string[] = []
    try {
      if (settings.FLOW_ENGINES.includes(engine) && flows.length > 0)
        parts.push(await runFlows(driver, engine))
      if (settings.STRESS_ENGINES.includes(engine) && stressDrops > 0)
        parts.push(await runStress(driver, engine))
    } finally {
      await driver.close()
    }
    summary.push(`${engine}: ${parts.join('; ')}; ${seconds(Date.now() - started)} in all`)
  }
} finally {
  await files.remove()
  await withoutIsolation.close()
  await server.close()
}

console.log('')
for (const line of summary) console.log(line)
for (const failure of failures) console.error(`\n✘ ${failure}`)
console.log(`\n${passed} passed, ${failures.length} failed`)
process.exit(failures.length > 0 ? 1 : 0)
