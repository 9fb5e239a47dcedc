import { createReadStream, statSync } from 'node:fs'
import { request, type IncomingMessage } from 'node:http'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { startFakeTpns, type RecordedRequest } from '../src/testing/node/fake-tpns.ts'
import { multipartEnvelope, type MultipartEnvelope } from '../src/testing/node/multipart.ts'
import { processMemory, resetPeakMemory } from '../src/testing/node/process-memory.ts'
import { startServer } from '../src/testing/node/app-server.ts'
import type { BenchPackage } from './generate-packages.ts'

/** TPNS's upload path (CONTRACT.md), on the local upstream and behind the proxy's prefix. */
const UPLOAD_PATH = '/v3/push/package/upload'
const PROXY_PATH = `/tpns/guangzhou${UPLOAD_PATH}`
const UPSTREAM_REPLY = { retCode: 0, errMsg: '', uploadId: 1 }
const UPSTREAM_ANSWER = JSON.stringify(UPSTREAM_REPLY)
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
 * the production server's proxy (`npm start`) to that same upstream, alternately, `runs` times each, with the
 * proxy's memory read before and after its uploads.
 */
export async function benchUpload(pkg: BenchPackage, runs: number): Promise<UploadResult> {
  // Counts what it receives and keeps none of it: the package goes up 2 × runs times.
  const upstream = await startFakeTpns({ keepBodies: false })
  upstream.always({ status: 200, json: UPSTREAM_REPLY })
  try {
    const server = await startServer({ TPNS_GUANGZHOU_URL: upstream.url })
    try {
      const direct = new URL(UPLOAD_PATH, upstream.url)
      const proxied = new URL(PROXY_PATH, server.url)
      // The proxy refuses uploads from other sites; a browser on the page sends its origin.
      const fromPage = { origin: new URL(server.url).origin }
      const file = fileBody(pkg.path)
      const result: UploadResult = {
        pkg,
        bodyBytes: envelopeOf(file).length,
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
        const rss = route === 'proxy' ? processMemory(server.pid)?.rssKb : undefined
        if (rss !== undefined) rssAfterEachKb.push(rss)
        const memory = rss === undefined ? '' : `, proxy VmRSS ${Math.round(kbToMb(rss))} MB`
        console.log(`  upload ${route}: ${Math.round(sample.ms)} ms${memory}`)
        for (const problem of checkUpload(sample, upstream.requests.at(-1)))
          result.mismatches.push(`run ${run} ${route}: ${problem}`)
      }

      // The first request each way loads and compiles code: a small one, untimed.
      const warmUp = smallBody()
      await postMultipart(direct, warmUp, {})
      await postMultipart(proxied, warmUp, fromPage)

      const peakReset = resetPeakMemory(server.pid)
      const before = processMemory(server.pid)
      for (let run = 1; run <= runs; run++) {
        // Alternate which goes first, so that a drift in the machine's load hits both alike.
        const order = run % 2 ? (['direct', 'proxy'] as const) : (['proxy', 'direct'] as const)
        for (const route of order) await upload(route, run)
      }
      const after = processMemory(server.pid)
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
      await server.close()
    }
  } finally {
    await upstream.close()
  }
}

/** The proxy's peak growth over its uploads, in KiB: the figure that shows streaming. */
export function peakGrowthKb(memory: ProxyMemory): number {
  return memory.peakAfterKb - (memory.peakReset ? memory.rssBeforeKb : memory.peakBeforeKb)
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

function envelopeOf(body: Body): MultipartEnvelope {
  return multipartEnvelope({ field: 'file', fileName: body.fileName, size: body.bytes })
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
  const { contentType, preamble, epilogue, length: sent } = envelopeOf(body)
  const started = performance.now()
  const req = request(url, {
    method: 'POST',
    agent: false,
    timeout: UPLOAD_TIMEOUT_MS,
    headers: {
      ...headers,
      authorization: AUTHORIZATION,
      'content-type': contentType,
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
function checkUpload(sample: UploadSample, received: RecordedRequest | undefined): string[] {
  const problems: string[] = []
  if (sample.status !== 200 || sample.answer !== UPSTREAM_ANSWER)
    problems.push(`HTTP ${sample.status} ${sample.answer.slice(0, 200)}`)
  if (!received) return [...problems, 'the upstream received nothing']
  if (received.method !== 'POST' || received.url !== UPLOAD_PATH)
    problems.push(`the upstream received ${received.method} ${received.url}`)
  const declared = Number(received.headers['content-length'] ?? Number.NaN)
  if (received.size !== sample.sent || declared !== sample.sent)
    problems.push(
      `the upstream received ${received.size} bytes (Content-Length ${declared}), ` +
        `${sample.sent} were sent`,
    )
  return problems
}

export const kbToMb = (kb: number) => (kb * KIB) / 1_000_000
