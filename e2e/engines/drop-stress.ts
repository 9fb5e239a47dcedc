import JSZip from 'jszip'
import { z } from 'zod'
import type { DriverPage, Engine } from './driver-page.ts'

/** A small package as real tools write them, and what the page must count in it. */
interface StressPackage {
  name: string
  bytes: Uint8Array
  rows: number
  valid: number
}

/** Distinct tokens, made from a counter so that every run writes the same packages. */
function tokens(count: number, from: number): string[] {
  return Array.from({ length: count }, (_, index) =>
    (from + index).toString(16).padStart(36, '0').replace(/^0/, 'a'),
  )
}

function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2)
  bytes.set([0xff, 0xfe])
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index)
    bytes[2 + index * 2] = unit & 0xff
    bytes[3 + index * 2] = unit >> 8
  }
  return bytes
}

/** The packages every scenario drops: each with its own row count, so a stale report shows. */
export async function stressPackages(): Promise<StressPackage[]> {
  const text = (rows: string[], lineBreak = '\n') => rows.join(lineBreak) + lineBreak
  const encode = (value: string) => new TextEncoder().encode(value)
  const macZip = new JSZip()
  macZip.file('tokens.txt', text(tokens(503, 3000)))
  macZip.file('__MACOSX/._tokens.txt', new Uint8Array([0, 5, 22, 7, 0, 2, 0, 0]))
  return [
    { name: 'plain.txt', bytes: encode(text(tokens(1010, 0))), rows: 1010, valid: 1010 },
    {
      name: 'header.csv',
      bytes: encode(text(['token', ...tokens(301, 2000)], '\r\n')),
      rows: 302,
      valid: 301,
    },
    { name: 'utf16.txt', bytes: utf16le(text(tokens(207, 5000), '\r\n')), rows: 207, valid: 207 },
    {
      name: 'mac.zip',
      bytes: await macZip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }),
      rows: 503,
      valid: 503,
    },
  ]
}

/** A package of ~40 MB, large enough that a cancel comes while it is still being read. */
export function largePackage(): StressPackage {
  const rows = 1_100_000
  const row = new TextEncoder().encode('0123456789abcdef0123456789abcdef0123\n')
  const bytes = new Uint8Array(rows * row.length)
  for (let index = 0; index < rows; index++) bytes.set(row, index * row.length)
  return { name: 'large.txt', bytes, rows, valid: 1 }
}

/** Writes each package with `write` (name, bytes → path). */
export async function writePackages(
  write: (name: string, bytes: Uint8Array) => Promise<string>,
  packages: StressPackage[],
) {
  const written: WrittenPackage[] = []
  for (const pkg of packages) written.push({ ...pkg, path: await write(pkg.name, pkg.bytes) })
  return written
}

type WrittenPackage = StressPackage & { path: string }

const reading = z.object({
  state: z.string(),
  rows: z.number(),
  valid: z.number(),
  text: z.string(),
})

/**
 * What the report says now: `cancelled` and `none` where it has no data-state. Source text,
 * not a function: tsx names inner functions with a helper that the page does not have.
 */
const READ_REPORT = `(() => {
  const report = document.querySelector('[data-testid=report]')
  const any = document.querySelector('.report')
  const count = (id) =>
    Number(document.querySelector('[data-testid=' + id + ']')?.textContent?.replace(/[^0-9]/g, '') ?? -1)
  return {
    state: report?.dataset.state ?? (any ? 'cancelled' : 'none'),
    rows: count('count-rows'),
    valid: count('count-valid'),
    text: (report ?? any)?.textContent?.slice(0, 120) ?? '',
  }
})()`

const CANCEL = `document.querySelector('[data-testid=report][data-state=reading] button')?.click()`

/** Waits until the report shows `pkg` checked; throws, saying what the page shows, if not. */
async function expectChecked(page: DriverPage, pkg: StressPackage, limitMs: number) {
  const deadline = Date.now() + limitMs
  const read = async () => reading.parse(await page.evaluate(READ_REPORT))
  let now = await read()
  while (!(now.state === 'done' && now.rows === pkg.rows && now.valid === pkg.valid)) {
    if (Date.now() > deadline)
      throw new Error(
        `${pkg.name} (${pkg.rows} rows) not checked within ${limitMs} ms; the page shows ` +
          JSON.stringify(now),
      )
    await new Promise((resolve) => setTimeout(resolve, 25))
    now = await read()
  }
}

export interface StressOptions {
  url: string
  drops: number
  packages: WrittenPackage[]
  large: WrittenPackage
  /** How long one check may take before it counts as a hang. */
  limitMs: number
  seed: number
  log: (line: string) => void
}

export interface StressResult {
  drops: number
  fresh: number
  replaced: number
  cancelled: number
}

/**
 * Drops small packages, many of them right after a page loads, some replacing a file still
 * being read and some cancelling a large read, and expects every one checked with its exact
 * counts. A report that stays at "Reading…" is a hang and fails the run.
 */
export async function dropStress(
  engine: Engine,
  page: DriverPage,
  options: StressOptions,
): Promise<StressResult> {
  const { packages, large, limitMs } = options
  let seed = options.seed
  const random = () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0
    return seed / 2 ** 32
  }
  const pick = () => packages[Math.floor(random() * packages.length)]
  const result: StressResult = { drops: 0, fresh: 0, replaced: 0, cancelled: 0 }
  let loaded = false
  const failWith = async (error: unknown, step: string) => {
    const errors = (await page.errors().catch(() => [])).join(' | ')
    throw new Error(`${engine}, drop ${result.drops} (${step}): ${String(error)} ${errors}`)
  }

  while (result.drops < options.drops) {
    const roll = random()
    const step =
      !loaded || roll < 0.5 ? 'fresh' : roll < 0.7 ? 'replace' : roll < 0.8 ? 'cancel' : 'again'
    try {
      if (step === 'fresh') {
        // A new document: a fresh heap, fresh workers, no idle time yet.
        await page.open(options.url)
        loaded = true
        result.fresh++
      }
      if (step === 'replace') {
        await page.setFile(pick().path)
        result.replaced++
        result.drops++
      }
      if (step === 'cancel') {
        await page.setFile(large.path)
        // The read may be over already on a fast machine: then there is nothing to cancel.
        await page.evaluate(CANCEL)
        result.cancelled++
        result.drops++
      }
      const pkg = pick()
      await page.setFile(pkg.path)
      result.drops++
      await expectChecked(page, pkg, limitMs)
      const errors = await page.errors()
      if (errors.length > 0) throw new Error(`console errors: ${errors.join(' | ')}`)
    } catch (error) {
      await failWith(error, step)
    }
    if (result.drops % 50 < 2) options.log(`  ${engine}: ${result.drops} drops`)
  }
  return result
}
