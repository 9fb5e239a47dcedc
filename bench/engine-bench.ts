import { z } from 'zod'
import { startDriver } from '../e2e/engines/browser-drivers.ts'
import type { Engine } from '../e2e/engines/driver-page.ts'
import { countDifferences } from './expected-counts.ts'
import type { BenchPackage } from './generate-packages.ts'
import { validateInEngine } from './page-measures.ts'

/** One package's validate times in each engine. */
export interface EnginePackageResult {
  pkg: BenchPackage
  /** Milliseconds per run, by engine. */
  timings: Map<Engine, number[]>
  /** Counts (or verdict) that differed from the reference, per engine and run. */
  mismatches: string[]
}

export interface EngineBenchResult {
  /** How each engine read: the path the page took there, from the features it has. */
  paths: Map<Engine, string>
  packages: EnginePackageResult[]
}

const FEATURES = `({
  isolated: globalThis.crossOriginIsolated === true,
  sharedMemory: typeof SharedArrayBuffer === 'function',
})`
const features = z.object({ isolated: z.boolean(), sharedMemory: z.boolean() })

/**
 * Each package validated `runs` times in each engine, a fresh page (and profile) per run:
 * cold, as a person opening the page and dropping a file. One engine at a time, so that
 * they do not take each other's cores.
 */
export async function benchEngines(
  engines: readonly Engine[],
  packages: BenchPackage[],
  url: string,
  runs: number,
  timeoutMs: number,
): Promise<EngineBenchResult> {
  const result: EngineBenchResult = {
    paths: new Map(),
    packages: packages.map((pkg) => ({ pkg, timings: new Map(), mismatches: [] })),
  }
  for (const engine of engines) {
    console.log(`Measuring ${packages.map((pkg) => pkg.format).join(' and ')} in ${engine} ...`)
    const driver = await startDriver(engine)
    try {
      for (const entry of result.packages) {
        const { pkg } = entry
        const expectedVerdict = pkg.expected.valid < pkg.expected.rows ? 'needs-fixes' : 'ready'
        for (let run = 1; run <= runs; run++) {
          const page = await driver.newPage()
          try {
            const sample = await validateInEngine(page, url, pkg.path, timeoutMs)
            if (!result.paths.has(engine)) {
              const has = features.parse(await page.evaluate(FEATURES))
              const missing = [
                ...(has.isolated ? [] : ['not cross-origin isolated']),
                ...(has.sharedMemory ? [] : ['no SharedArrayBuffer']),
              ]
              result.paths.set(
                engine,
                missing.length === 0
                  ? 'two workers, shared memory'
                  : `one worker (${missing.join(', ')})`,
              )
            }
            entry.timings.set(engine, [...(entry.timings.get(engine) ?? []), sample.ms])
            console.log(`  ${engine} ${pkg.format} validate: ${Math.round(sample.ms)} ms`)
            const where = `${engine} run ${run}`
            if (sample.verdict !== expectedVerdict)
              entry.mismatches.push(
                `${where}: verdict ${sample.verdict}, expected ${expectedVerdict}`,
              )
            for (const difference of countDifferences(sample.counts, pkg.expected))
              entry.mismatches.push(`${where}: ${difference}`)
            const errors = await page.errors()
            if (errors.length > 0)
              entry.mismatches.push(`${where}: page errors ${errors.join(' | ')}`)
          } finally {
            await page.close()
          }
        }
      }
    } finally {
      await driver.close()
    }
  }
  return result
}
