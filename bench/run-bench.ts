import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { z } from 'zod'
import { ENGINES } from '../e2e/engines/driver-page.ts'
import { chromiumArgs, findChromium } from '../e2e/find-chromium.ts'
import { startServer } from '../src/testing/node/app-server.ts'
import { benchAudience, printAudienceResults, type AudienceResult } from './audience-bench.ts'
import { benchEngines, type EngineBenchResult } from './engine-bench.ts'
import { countDifferences } from './expected-counts.ts'
import { writePackages, type BenchPackage } from './generate-packages.ts'
import { AFTER_VALIDATION_STEPS, COMPARISON_STEPS } from './measurement-steps.ts'
import {
  benchMemory,
  EAGER_MEMORY_FLAG,
  printMemoryResults,
  type MemoryResult,
} from './memory-bench.ts'
import { dropAndValidate, injectLibraries, installPageProbes } from './page-measures.ts'
import {
  printEngineResults,
  printResults,
  printUploadResults,
  type PackageResult,
} from './print-results.ts'
import { benchUpload, type UploadResult } from './upload-bench.ts'

const SEED = 0x7e57
const VALIDATE_TIMEOUT_MS = 120_000

// BENCH_ROWS, BENCH_RUNS, BENCH_PARTS, BENCH_FORMATS and BENCH_ENGINES make a quick run
// possible while working on the bench itself: BENCH_PARTS=upload skips the browser,
// BENCH_PARTS=page the upload; BENCH_FORMATS=txt measures only the .txt package in the page;
// BENCH_PARTS=engines BENCH_ENGINES=webkit only WebKit's validate time.
const PARTS = ['page', 'memory', 'audience', 'upload', 'engines'] as const
const FORMATS = ['txt', 'csv', 'zip', 'gbk', 'tsv'] as const
/** A comma-separated list of some of `values`; all of them when unset. */
function listOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .default(values.join(','))
    .transform((value) => value.split(',').map((item) => item.trim()))
    .pipe(z.array(z.enum(values)).min(1))
}

const settings = z
  .object({
    BENCH_ROWS: z.coerce.number().int().positive().default(2_700_000),
    BENCH_RUNS: z.coerce.number().int().min(1).max(9).default(3),
    BENCH_PARTS: listOf(PARTS),
    BENCH_FORMATS: listOf(FORMATS),
    BENCH_ENGINES: listOf(ENGINES),
  })
  .parse(process.env)

async function benchPackage(
  context: BrowserContext,
  url: string,
  pkg: BenchPackage,
): Promise<PackageResult> {
  const result: PackageResult = { pkg, timings: new Map(), longestTaskMs: 0, mismatches: [] }
  const record = (name: string, ms: number) => {
    result.timings.set(name, [...(result.timings.get(name) ?? []), ms])
    console.log(`  ${pkg.format} ${name}: ${Math.round(ms)} ms`)
  }

  let page: Page | null = null
  for (let run = 1; run <= settings.BENCH_RUNS; run++) {
    await page?.close()
    page = await context.newPage()
    const sample = await dropAndValidate(page, url, pkg.path, VALIDATE_TIMEOUT_MS)
    record('validate', sample.ms)
    result.longestTaskMs = Math.max(result.longestTaskMs, sample.longestTaskMs)
    const expectedVerdict = pkg.expected.valid < pkg.expected.rows ? 'needs-fixes' : 'ready'
    if (sample.verdict !== expectedVerdict)
      result.mismatches.push(`run ${run}: verdict ${sample.verdict}, expected ${expectedVerdict}`)
    for (const difference of countDifferences(sample.counts, pkg.expected))
      result.mismatches.push(`run ${run}: ${difference}`)
    const notes = {
      mismatch: (text: string) => result.mismatches.push(`run ${run}: ${text}`),
      record,
    }
    for (const step of AFTER_VALIDATION_STEPS)
      if (step.appliesTo(pkg)) record(step.name, await step.run(page, pkg, notes))
  }

  // The last page still holds the package's File for the comparisons.
  if (page) {
    await injectLibraries(page)
    for (const step of COMPARISON_STEPS) {
      if (!step.appliesTo(pkg)) continue
      for (let run = 1; run <= settings.BENCH_RUNS; run++) {
        const notes = {
          mismatch: (text: string) => result.mismatches.push(`${step.name} ${run}: ${text}`),
          record,
        }
        record(step.name, await step.run(page, pkg, notes))
      }
    }
    await page.close()
  }
  return result
}

interface BenchResults {
  pages: PackageResult[]
  memory: MemoryResult | null
  audience: AudienceResult | null
  upload: UploadResult | null
  engines: EngineBenchResult | null
}

/** The packages every engine validates: the 100 MB .txt and its zip. */
const ENGINE_FORMATS = ['txt', 'zip'] as const

async function main(): Promise<BenchResults> {
  const dir = await mkdtemp(join(tmpdir(), 'tpns-bench-'))
  try {
    console.log(`Generating ${settings.BENCH_ROWS} rows as .txt, .csv and .zip in ${dir} ...`)
    const packages = await writePackages(dir, settings.BENCH_ROWS, SEED)
    for (const pkg of packages) console.log(`  ${pkg.format}: ${pkg.bytes} bytes`)

    const pages = settings.BENCH_PARTS.includes('page') ? await benchPages(packages) : []
    const memory = settings.BENCH_PARTS.includes('memory')
      ? await withPage((context, url) => {
          console.log('Measuring memory: idle, then the largest zip ...')
          return benchMemory(context, url, dir, SEED)
        })
      : null
    const audience = settings.BENCH_PARTS.includes('audience')
      ? await withPage((context, url) => {
          console.log('Measuring the audience: two lists and an exclusion list ...')
          return benchAudience(context, url, dir, SEED, settings.BENCH_RUNS)
        })
      : null
    let upload: UploadResult | null = null
    const txt = packages.find((pkg) => pkg.format === 'txt')
    if (settings.BENCH_PARTS.includes('upload') && txt) {
      console.log(`Uploading ${txt.format}, straight and through the proxy ...`)
      upload = await benchUpload(txt, settings.BENCH_RUNS)
    }
    const forEngines = packages.filter(
      (pkg) =>
        ENGINE_FORMATS.some((format) => format === pkg.format) &&
        settings.BENCH_FORMATS.includes(pkg.format),
    )
    const engines =
      settings.BENCH_PARTS.includes('engines') && forEngines.length > 0
        ? await withServer((url) =>
            benchEngines(
              settings.BENCH_ENGINES,
              forEngines,
              url,
              settings.BENCH_RUNS,
              VALIDATE_TIMEOUT_MS,
            ),
          )
        : null
    return { pages, memory, audience, upload, engines }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The built app served for `work`, stopped after. */
async function withServer<T>(work: (url: string) => Promise<T>): Promise<T> {
  const server = await startServer()
  try {
    return await work(server.url)
  } finally {
    await server.close()
  }
}

/** A headless Chromium on the built app, for `work`; both stopped after. */
async function withPage<T>(work: (context: BrowserContext, url: string) => Promise<T>): Promise<T> {
  return withServer(async (url) => {
    const browser = await chromium.launch({
      executablePath: findChromium(),
      args: [...chromiumArgs, EAGER_MEMORY_FLAG],
    })
    try {
      // The app's CSP forbids the inline scripts that carry papaparse and jszip in; it
      // changes nothing the validation does.
      const context = await browser.newContext({ bypassCSP: true })
      await installPageProbes(context)
      return await work(context, url)
    } finally {
      await browser.close()
    }
  })
}

function benchPages(packages: BenchPackage[]): Promise<PackageResult[]> {
  return withPage(async (context, url) => {
    const results: PackageResult[] = []
    for (const pkg of packages) {
      if (!settings.BENCH_FORMATS.includes(pkg.format)) continue
      console.log(`Measuring ${pkg.format} on ${url} ...`)
      results.push(await benchPackage(context, url, pkg))
    }
    return results
  })
}

// Other work on the machine slows every timing here: say how busy it was.
const machine = () =>
  `${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)} (1 min)`
const before = machine()
const { pages, memory, audience, upload, engines } = await main()
if (pages.length > 0) printResults(pages, settings.BENCH_RUNS)
if (engines) printEngineResults(engines, settings.BENCH_ENGINES, settings.BENCH_RUNS)
if (memory) printMemoryResults(memory)
if (audience) printAudienceResults(audience)
if (upload) printUploadResults(upload, settings.BENCH_RUNS)
console.log('')
console.log(`Machine: ${before} before the run, ${machine()} after.`)
// Targets are reported, not enforced: only wrong counts or uploads (or a crash) fail the run.
if (
  pages.some((result) => result.mismatches.length > 0) ||
  upload?.mismatches.length ||
  audience?.mismatches.length ||
  engines?.packages.some((result) => result.mismatches.length > 0)
)
  process.exitCode = 1
