import { randomBytes } from 'node:crypto'
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, request, type IncomingMessage } from 'node:http'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { BenchPackage } from './generate-packages.ts'
import { startPreview } from './preview-server.ts'

/** TPNS's upload path (CONTRACT.md), on the local upstream and behind the proxy's prefix. */
const UPLOAD_PATH = '/v3/push/package/upload'
const PROXY_PATH = `/tpns/guangzhou${UPLOAD_PATH}`
const UPSTREAM_ANSWER = JSON.stringify({ retCode: 0, errMsg: '', uploadId: 1 })
const UPLOAD_TIMEOUT_MS = 120_000
// Any credentials: the local upstream does not check them, the proxy forwards them as they are.
const AUTHORIZATION = `Basic ${Buffer.from('bench:bench').toString('base64')}`
const KIB = 1024

/** The proxy's memory around the proxied uploads, from /proc/<pid>/status (Linux). */
export interface ProxyMemory {
  /** VmRSS right before the first proxied upload, in KiB. */
  rssBeforeKb: number
  /** VmRSS right after the last one. */
  rssAfterKb: number
  /** VmHWM (peak RSS) right after the last one. */
  peakAfterKb: number
  /**
   * The peak was reset to the RSS before the uploads (/proc/<pid>/clear_refs), so
   * peakAfterKb - rssBeforeKb is the uploads' own peak. Otherwise the start-up peak may hide
   * part of it, and peakBeforeKb is the baseline instead.
   */
  peakReset: boolean
  peakBeforeKb: number
  /** VmRSS after each proxied upload: level when garbage awaits collection, rising if kept. */
  rssAfterEachKb: number[]
}

export interface UploadResult {
  pkg: BenchPackage
  /** The multipart body's length: the package plus its form envelope. */
  bodyBytes: number
  /** Milliseconds per upload, straight to the local upstream and through the proxy. */
  direct: number[]
  proxy: number[]
  memory: ProxyMemory | null
  /** Answers or received bodies that were not what they should be. */
  mismatches: string[]
}

/**
 * The package uploaded as multipart/form-data straight to a local upstream and through
 * `vite preview`'s proxy to that same upstream, alternately, `runs` times each, with the
 * proxy's memory read before and after its uploads.
 */
export async function benchUpload(
  pkg: BenchPackage,
  runs: number,
  sandboxDir: string,
): Promise<UploadResult> {
  const upstream = await startUpstream()
  try {
    const server = await startPreview(sandboxDir, { TPNS_GUANGZHOU_URL: upstream.url })
    try {
      const direct = new URL(UPLOAD_PATH, upstream.url)
      const proxied = new URL(PROXY_PATH, server.url)
      // The proxy refuses uploads from other sites; a browser on the page sends its origin.
      const fromPage = { origin: new URL(server.url).origin }
      const file = fileBody(pkg.path)
      const result: UploadResult = {
        pkg,
        bodyBytes: multipartLength(file),
        direct: [],
        proxy: [],
        memory: null,
        mismatches: [],
      }
      const rssAfterEachKb: number[] = []
      const upload = async (route: 'direct' | 'proxy', run: number) => {
        const url = route === 'direct' ? direct : proxied
        const sample = await postMultipart(url, file, route === 'proxy' ? fromPage : {})
        result[route].push(sample.ms)
        const rss = route === 'proxy' ? readMemory(server.pid)?.rssKb : undefined
        if (rss !== undefined) rssAfterEachKb.push(rss)
        const memory = rss === undefined ? '' : `, proxy VmRSS ${Math.round(kbToMb(rss))} MB`
        console.log(`  upload ${route}: ${Math.round(sample.ms)} ms${memory}`)
        for (const problem of checkUpload(sample, upstream.received.at(-1)))
          result.mismatches.push(`run ${run} ${route}: ${problem}`)
      }

      // The first request each way loads and compiles code: a small one, untimed.
      const warmUp = smallBody()
      await postMultipart(direct, warmUp, {})
      await postMultipart(proxied, warmUp, fromPage)

      const peakReset = resetPeak(server.pid)
      const before = readMemory(server.pid)
      for (let run = 1; run <= runs; run++) {
        // Alternate which goes first, so that a drift in the machine's load hits both alike.
        const order = run % 2 ? (['direct', 'proxy'] as const) : (['proxy', 'direct'] as const)
        for (const route of order) await upload(route, run)
      }
      const after = readMemory(server.pid)
      if (before && after) {
        result.memory = {
          rssBeforeKb: before.rssKb,
          rssAfterKb: after.rssKb,
          peakAfterKb: after.peakKb,
          peakReset,
          peakBeforeKb: before.peakKb,
          rssAfterEachKb,
        }
      }
      return result
    } finally {
      await server.stop()
    }
  } finally {
    await upstream.close()
  }
}

/** The proxy's peak growth over its uploads, in KiB: the figure that shows streaming. */
export function peakGrowthKb(memory: ProxyMemory): number {
  return memory.peakAfterKb - (memory.peakReset ? memory.rssBeforeKb : memory.peakBeforeKb)
}

interface Received {
  method: string
  path: string
  declared: number
  bytes: number
}

interface Upstream {
  url: string
  /** One entry per request whose body was read to the end. */
  received: Received[]
  close(): Promise<void>
}

/** A stand-in for TPNS on 127.0.0.1: reads and counts the body, keeps none of it. */
async function startUpstream(): Promise<Upstream> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    let bytes = 0
    req.on('data', (chunk: Buffer) => (bytes += chunk.length))
    req.on('end', () => {
      const declared = Number(req.headers['content-length'] ?? Number.NaN)
      received.push({ method: req.method ?? '', path: req.url ?? '', declared, bytes })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(UPSTREAM_ANSWER)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (typeof address !== 'object' || !address) throw new Error('The upstream has no port.')
  return {
    url: `http://127.0.0.1:${address.port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

interface Body {
  fileName: string
  bytes: number
  open(): Readable
}

/** The package streamed from disk, never read whole. */
function fileBody(path: string): Body {
  return {
    fileName: basename(path),
    bytes: statSync(path).size,
    open: () => createReadStream(path),
  }
}

function smallBody(): Body {
  const content = Buffer.from(`${'0123456789abcdef01234567890abcdef012'}\n`)
  return { fileName: 'warm-up.txt', bytes: content.length, open: () => Readable.from([content]) }
}

interface Envelope {
  boundary: string
  preamble: Buffer
  epilogue: Buffer
}

function envelope(fileName: string, boundary: string): Envelope {
  return {
    boundary,
    preamble: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
        'Content-Type: text/plain\r\n\r\n',
    ),
    epilogue: Buffer.from(`\r\n--${boundary}--\r\n`),
  }
}

const newBoundary = () => `----tpns-bench-${randomBytes(12).toString('hex')}`

function multipartLength(body: Body): number {
  const { preamble, epilogue } = envelope(body.fileName, newBoundary())
  return preamble.length + body.bytes + epilogue.length
}

interface UploadSample {
  ms: number
  status: number
  answer: string
  /** The Content-Length sent. */
  sent: number
}

/**
 * POSTs the body as the one `file` field of a multipart form, with its Content-Length,
 * streaming it between the form's preamble and epilogue; timed from the first byte sent to
 * the last byte of the answer. A fresh connection each time.
 */
async function postMultipart(
  url: URL,
  body: Body,
  headers: Record<string, string>,
): Promise<UploadSample> {
  const { boundary, preamble, epilogue } = envelope(body.fileName, newBoundary())
  const sent = preamble.length + body.bytes + epilogue.length
  const started = performance.now()
  const req = request(url, {
    method: 'POST',
    agent: false,
    timeout: UPLOAD_TIMEOUT_MS,
    headers: {
      ...headers,
      authorization: AUTHORIZATION,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(sent),
    },
  })
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve)
    req.once('error', reject)
    req.once('timeout', () => req.destroy(new Error(`No answer from ${url} in time.`)))
  })
  req.write(preamble)
  const sending = pipeline(body.open(), req, { end: false }).then(() => {
    req.end(epilogue)
  })
  // A refusal may come before the body is sent, and cut the sending short: keep the answer.
  sending.catch(() => undefined)
  const answer = await response
  const chunks: Buffer[] = []
  for await (const chunk of answer) if (Buffer.isBuffer(chunk)) chunks.push(chunk)
  const ms = performance.now() - started
  return { ms, status: answer.statusCode ?? 0, answer: Buffer.concat(chunks).toString(), sent }
}

/** What went wrong with one upload: the answer, or what the upstream got. */
function checkUpload(sample: UploadSample, received: Received | undefined): string[] {
  const problems: string[] = []
  if (sample.status !== 200 || sample.answer !== UPSTREAM_ANSWER)
    problems.push(`HTTP ${sample.status} ${sample.answer.slice(0, 200)}`)
  if (!received) return [...problems, 'the upstream received nothing']
  if (received.method !== 'POST' || received.path !== UPLOAD_PATH)
    problems.push(`the upstream received ${received.method} ${received.path}`)
  if (received.bytes !== sample.sent || received.declared !== sample.sent)
    problems.push(
      `the upstream received ${received.bytes} bytes (Content-Length ${received.declared}), ` +
        `${sample.sent} were sent`,
    )
  return problems
}

interface Memory {
  rssKb: number
  peakKb: number
}

function readMemory(pid: number): Memory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
    const memory = { rssKb: field('VmRSS'), peakKb: field('VmHWM') }
    return Number.isFinite(memory.rssKb) && Number.isFinite(memory.peakKb) ? memory : null
  } catch {
    return null
  }
}

/** Sets the process's peak RSS to its current RSS (Linux ≥ 4.0); false where that fails. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

export const kbToMb = (kb: number) => (kb * KIB) / 1_000_000
