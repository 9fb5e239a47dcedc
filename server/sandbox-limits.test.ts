import * as nodeFs from 'node:fs/promises'
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { MAX_PACKAGE_BYTES } from '../src/core/problem-codes.ts'
import { deflatedZeros, rawZip } from '../src/core/test-fixtures.ts'
import { UPLOAD_PATH } from '../src/shared/access-points.ts'
import { multipart, multipartEnvelope } from '../src/testing/node/multipart.ts'
import { openFilesUnder } from '../src/testing/node/open-files.ts'
import { mainThreadCpuMs, processCpuMs } from '../src/testing/node/thread-time.ts'
import { partialUpload, type PartialUpload } from '../src/testing/node/partial-upload.ts'
import { MAX_UPLOAD_BODY_BYTES } from './proxy-upload.ts'
import { startSandbox, type Sandbox, type SandboxOptions } from './sandbox-server.ts'
import type { SandboxFs, WritableFile } from './sandbox-store.ts'
import { basic, send, startApp, tokens, type RunningApp } from './test-support.ts'

const PROXY_PATH = '/tpns/sandbox/v3/push/package/upload'
const AUTH = basic('sandbox-id', 'sandbox-SECRET-9')
const SERVICE_ERROR = { retCode: 1008004, errMsg: 'invoke service error' }
const running: { close(): Promise<void> }[] = []

afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.close()
})

interface Direct {
  sandbox: Sandbox
  url: string
  dir: string
  logs: string[]
}

/** The sandbox on its own, as the proxy plugin starts it, in a fresh folder. */
async function startDirect(options: Partial<SandboxOptions> = {}): Promise<Direct> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'tpns-sandbox-limits-')))
  running.push({ close: () => rm(dir, { recursive: true, force: true }) })
  const logs: string[] = []
  const log = { info: (line: string) => logs.push(line), warn: (line: string) => logs.push(line) }
  const sandbox = await startSandbox({ env: {}, ...options, dir, log })
  running.push(sandbox)
  return { sandbox, url: sandbox.url.href, dir, logs }
}

async function startProxied(env: Record<string, string> = {}): Promise<RunningApp> {
  const app = await startApp(env)
  running.push(app)
  return app
}

async function upload(base: string, path: string, fileName: string, content: Buffer | string) {
  const form = multipart([{ field: 'file', fileName, content }])
  const answer = await send(base, path, {
    headers: { 'content-type': form.contentType, authorization: AUTH },
    body: form.body,
  })
  return { status: answer.status, body: answer.json() }
}

/** What an upload's end left in the sandbox: files in incoming/, and files held open. */
async function leftovers(dir: string) {
  return { incoming: await readdir(join(dir, 'incoming')), open: openFilesUnder(dir) }
}

async function expectNothingLeft(dir: string) {
  await vi.waitFor(async () => expect(await leftovers(dir)).toEqual({ incoming: [], open: [] }), {
    timeout: 5_000,
    interval: 20,
  })
}

/** `count` uploads that each send 64 kB and wait, once the sandbox is writing every one. */
async function stalledUploads(base: string, path: string, dir: string, count: number) {
  const uploads: PartialUpload[] = []
  for (let index = 0; index < count; index += 1) {
    const sent = Buffer.from(tokens(1800, index))
    uploads.push(
      partialUpload(base, path, { headers: { authorization: AUTH }, sent, size: 10_000_000 }),
    )
  }
  // Each upload now has its file and an open handle: the state a cut-off must undo.
  await vi.waitFor(
    async () => {
      const now = await leftovers(dir)
      expect([now.incoming.length, now.open.length]).toEqual([count, count])
    },
    { timeout: 10_000, interval: 20 },
  )
  return uploads
}

/** A form whose file part goes on past `size` bytes, sent chunked: no length declared. */
function endlessForm(size: number) {
  const form = multipartEnvelope({ field: 'file', fileName: 'huge.txt', size })
  return {
    headers: { 'content-type': form.contentType, authorization: AUTH },
    body: async function* () {
      yield form.preamble
      const chunk = Buffer.alloc(1024 * 1024, 0x61)
      for (let sent = 0; sent < size; sent += chunk.length) yield chunk
    },
  }
}

describe('every way an upload ends leaves no file and no open handle', () => {
  test('40 uploads cut off mid-body, straight to the sandbox; it goes on serving', async () => {
    const { url, dir } = await startDirect()
    const uploads = await stalledUploads(url, UPLOAD_PATH, dir, 40)
    for (const cut of uploads) cut.abort()
    await expectNothingLeft(dir)
    expect((await upload(url, UPLOAD_PATH, 'a.txt', tokens(3))).body).toMatchObject({
      retCode: 0,
      uploadId: 1,
    })
  })

  test('20 uploads whose browser goes away, through the proxy', async () => {
    // More at once than the production server's default cap on uploads in flight (8).
    const app = await startProxied({ TPNS_MAX_UPLOADS: '40' })
    const uploads = await stalledUploads(app.url, PROXY_PATH, app.sandboxDir, 20)
    for (const cut of uploads) cut.abort()
    await expectNothingLeft(app.sandboxDir)
  })

  test('504: the proxy gives up on stalled uploads (TPNS_UPSTREAM_TIMEOUT_MS)', async () => {
    const app = await startProxied({ TPNS_UPSTREAM_TIMEOUT_MS: '300' })
    const uploads = await stalledUploads(app.url, PROXY_PATH, app.sandboxDir, 5)
    for (const stalled of uploads) expect((await stalled.answer)?.status).toBe(504)
    await expectNothingLeft(app.sandboxDir)
  })

  test('408: uploads that stall past the request timeout, straight to the sandbox', async () => {
    const { url, dir } = await startDirect({ requestTimeoutMs: 400 })
    const uploads = await stalledUploads(url, UPLOAD_PATH, dir, 5)
    for (const stalled of uploads) expect((await stalled.answer)?.status).toBe(408)
    await expectNothingLeft(dir)
  })

  test('413: chunked bodies past the cap, through the proxy', async () => {
    const app = await startProxied()
    const answers = await Promise.all(
      [0, 1].map(() => send(app.url, PROXY_PATH, endlessForm(MAX_UPLOAD_BODY_BYTES + 2 ** 21))),
    )
    expect(answers.map((answer) => answer.status)).toEqual([413, 413])
    await expectNothingLeft(app.sandboxDir)
  })

  test('413: a chunked body past the cap, straight to the sandbox', async () => {
    const { url, dir } = await startDirect()
    const form = endlessForm(MAX_UPLOAD_BODY_BYTES + 2 ** 21)
    const answer = await send(url, UPLOAD_PATH, form).catch(() => null)
    // The sandbox answers and closes; a client still sending may see the reset first.
    if (answer !== null) expect([answer.status, answer.json()]).toEqual([413, BAD_FILE])
    await expectNothingLeft(dir)
    expect(await readdir(join(dir, 'packages'))).toEqual([])
  })

  test('a package over 100 MB is refused without being kept, and its file goes', async () => {
    const { url, dir } = await startDirect()
    const answer = await upload(url, UPLOAD_PATH, 'huge.txt', Buffer.alloc(MAX_PACKAGE_BYTES + 1))
    expect(answer).toEqual({ status: 200, body: BAD_FILE })
    await expectNothingLeft(dir)
  })

  test('what a process that died left in incoming/ and half-written records go at start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tpns-sandbox-leftovers-'))
    await mkdir(join(dir, 'incoming'), { recursive: true })
    await mkdir(join(dir, 'packages'), { recursive: true })
    await writeFile(join(dir, 'incoming', 'dead.part'), 'half an upload')
    await writeFile(join(dir, 'packages', '7.txt'), tokens(1))
    await writeFile(join(dir, 'packages', '7.json'), '{}')
    await writeFile(join(dir, 'packages', '8.json.1234.tmp'), '{"upl')
    await writeFile(join(dir, 'upload-counter.json.5678.tmp'), '{"la')
    await startDirect({ dir })
    expect(await readdir(join(dir, 'incoming'))).toEqual([])
    expect((await readdir(join(dir, 'packages'))).sort()).toEqual(['7.json', '7.txt'])
    expect((await readdir(dir)).sort()).toEqual(['incoming', 'packages'])
  })
})

const BAD_FILE = { retCode: 1008011, errMsg: 'upload file error' }

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code })
}

/** Real files on a disk of `room` bytes: writes past it fail with ENOSPC, removals free it. */
function diskOf(room: number): SandboxFs {
  const sizes = new Map<string, number>()
  const used = () => [...sizes.values()].reduce((sum, size) => sum + size, 0)
  const take = (path: string, bytes: number) => {
    if (used() + bytes > room) throw systemError('ENOSPC')
    sizes.set(path, (sizes.get(path) ?? 0) + bytes)
  }
  return {
    ...nodeFs,
    async open(path, flags) {
      const handle = await nodeFs.open(path, flags)
      const file: WritableFile = {
        async write(data, offset) {
          take(path, data.length - offset)
          return handle.write(data, offset)
        },
        close: () => handle.close(),
      }
      return file
    },
    async writeFile(path, data) {
      take(path, Buffer.byteLength(data))
      return nodeFs.writeFile(path, data)
    },
    async rename(from, to) {
      await nodeFs.rename(from, to)
      sizes.set(to, sizes.get(from) ?? 0)
      sizes.delete(from)
    },
    async rm(path, options) {
      await nodeFs.rm(path, options)
      sizes.delete(path)
    },
  }
}

describe('a write that fails answers an error, and the server goes on', () => {
  test('EMFILE when opening: HTTP 500 with 1008004, logged by code; the next upload works', async () => {
    let failing = true
    const fs: SandboxFs = {
      ...nodeFs,
      open: (path, flags) =>
        failing ? Promise.reject(systemError('EMFILE')) : nodeFs.open(path, flags),
    }
    const { url, dir, logs } = await startDirect({ fs })
    const answers = await Promise.all(
      [0, 1, 2, 3, 4].map((seed) => upload(url, UPLOAD_PATH, 'a.txt', tokens(3, seed))),
    )
    for (const answer of answers) expect(answer).toEqual({ status: 500, body: SERVICE_ERROR })
    expect(logs).toContain('tpns sandbox: could not take an upload (EMFILE)')
    await expectNothingLeft(dir)

    failing = false
    expect((await upload(url, UPLOAD_PATH, 'a.txt', tokens(3))).body).toMatchObject({ retCode: 0 })
  })

  test('ENOSPC mid-file (two 2 MB uploads, 3 MB of disk): HTTP 507, no file, no handle', async () => {
    const { url, dir, logs } = await startDirect({ fs: diskOf(3 * 1024 * 1024) })
    const rows = Math.ceil((2 * 1024 * 1024) / 37)
    const answers = await Promise.all([
      upload(url, UPLOAD_PATH, 'a.txt', tokens(rows)),
      upload(url, UPLOAD_PATH, 'b.txt', tokens(rows, 99)),
    ])
    // Which of the two fills the disk depends on how their chunks interleave; maybe both.
    const failed = answers.filter((answer) => answer.status !== 200)
    expect(failed.length).toBeGreaterThan(0)
    for (const answer of failed) expect(answer).toEqual({ status: 507, body: SERVICE_ERROR })
    expect(logs).toContain('tpns sandbox: could not take an upload (ENOSPC)')
    await expectNothingLeft(dir)
    expect((await upload(url, UPLOAD_PATH, 'c.txt', tokens(2, 7))).body).toMatchObject({
      retCode: 0,
    })
  })

  test('ENOSPC writing the record: HTTP 507, and neither package nor record is kept', async () => {
    const fs: SandboxFs = { ...nodeFs, writeFile: () => Promise.reject(systemError('ENOSPC')) }
    const { url, dir } = await startDirect({ fs })
    expect(await upload(url, UPLOAD_PATH, 'a.txt', tokens(3))).toEqual({
      status: 507,
      body: SERVICE_ERROR,
    })
    expect(await readdir(join(dir, 'packages'))).toEqual([])
    await expectNothingLeft(dir)
  })
})

/** Bytes under packages/, and the uploadIds kept there. */
async function packagesOf(dir: string) {
  const names = await readdir(join(dir, 'packages'))
  let bytes = 0
  for (const name of names) bytes += (await stat(join(dir, 'packages', name))).size
  const ids = names.filter((name) => name.endsWith('.json')).map((name) => parseInt(name, 10))
  return { bytes, ids: ids.sort((a, b) => a - b) }
}

describe('the disk budget (TPNS_SANDBOX_MAX_BYTES)', () => {
  // Each package: 50 tokens (1,850 bytes) and a record of about 250.
  const budget = 3 * 2_200

  test('holds: the oldest packages go first, and the newest stay', async () => {
    const { url, dir } = await startDirect({ env: { TPNS_SANDBOX_MAX_BYTES: String(budget) } })
    for (let seed = 0; seed < 10; seed += 1) {
      const answer = await upload(url, UPLOAD_PATH, `p${seed}.txt`, tokens(50, seed))
      expect(answer.body).toMatchObject({ retCode: 0, uploadId: seed + 1 })
      const kept = await packagesOf(dir)
      expect(kept.bytes).toBeLessThanOrEqual(budget)
      expect(kept.ids.at(-1)).toBe(seed + 1)
    }
    expect((await packagesOf(dir)).ids).toEqual([8, 9, 10])
  })

  test('holds through the proxy plugin, and at a restart with a smaller budget', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tpns-sandbox-budget-'))
    running.push({ close: () => rm(dir, { recursive: true, force: true }) })
    const app = await startApp({ TPNS_SANDBOX_DIR: dir, TPNS_SANDBOX_MAX_BYTES: String(budget) })
    for (let seed = 0; seed < 5; seed += 1) {
      expect((await upload(app.url, PROXY_PATH, 'p.txt', tokens(50, seed))).body).toMatchObject({
        retCode: 0,
      })
    }
    await app.close()
    expect((await packagesOf(dir)).ids).toEqual([3, 4, 5])

    await startDirect({ dir, env: { TPNS_SANDBOX_MAX_BYTES: String(2 * 2_200) } })
    expect((await packagesOf(dir)).ids).toEqual([4, 5])
  })

  test('uploads in progress count too: what the budget cannot hold is refused with 507', async () => {
    const { url, dir } = await startDirect({ env: { TPNS_SANDBOX_MAX_BYTES: '10000' } })
    expect(await upload(url, UPLOAD_PATH, 'big.txt', tokens(1000))).toEqual({
      status: 507,
      body: SERVICE_ERROR,
    })
    await expectNothingLeft(dir)
    expect((await upload(url, UPLOAD_PATH, 'small.txt', tokens(5))).status).toBe(200)
  })

  test.each([['lots'], ['-5'], ['0'], ['1.5']])(
    'TPNS_SANDBOX_MAX_BYTES=%s stops the start, naming the variable and the rule',
    async (value) => {
      const start = startApp({ TPNS_SANDBOX_MAX_BYTES: value })
      await expect(start).rejects.toThrow(
        'TPNS_SANDBOX_MAX_BYTES: must be a whole number of bytes, at least 1',
      )
      await expect(start).rejects.not.toThrow(value)
    },
  )
})

/** A zip whose token file declares 1 kB and inflates past 512 MiB: stopped at the cap. */
const lyingBomb = () =>
  Buffer.from(
    rawZip([
      { name: 'tokens.txt', data: deflatedZeros(2_100_000), method: 8, declaredSize: 1_000 },
    ]),
  )
/** A zip that says it inflates to 600 MiB: refused from its directory alone. */
const honestBomb = () =>
  Buffer.from(
    rawZip([
      { name: 'tokens.txt', data: deflatedZeros(1_000), method: 8, declaredSize: 600 * 2 ** 20 },
    ]),
  )

/** No bomb: 64 MiB of zeros, declared, so inflated whole and scanned as one long row. */
const zeros = () => {
  const copies = Math.floor((64 * 2 ** 20 - 1) / 258)
  const data = deflatedZeros(copies)
  return Buffer.from(
    rawZip([{ name: 'tokens.txt', data, method: 8, declaredSize: 1 + copies * 258 }]),
  )
}

describe('checks run off the event loop, one at a time', () => {
  // What keeps GET / fast is where the checks' CPU goes, and that is what is asserted. The
  // latency itself is printed, not asserted: on a shared 2-core machine, GET / was seen to
  // take up to 166 ms with nothing uploading at all (a wall-clock bound there is a flaky test;
  // measured here: slowest 24-63 ms with the checks off the loop, 3.8-7.3 s on it).
  test(
    'concurrent zip bombs are refused while GET / keeps answering',
    { timeout: 60_000 },
    async () => {
      const app = await startProxied()
      // The first request to a fresh server loads what serves it; the bombs are not to blame.
      expect((await send(app.url, '/', { method: 'GET' })).status).toBe(200)
      const bombs = [lyingBomb(), honestBomb(), zeros(), lyingBomb(), honestBomb()]
      let uploading = true
      const latencies: number[] = []
      let peakRss = 0
      const watching = (async () => {
        while (uploading) {
          const started = performance.now()
          const page = await send(app.url, '/', { method: 'GET' })
          latencies.push(performance.now() - started)
          expect(page.status).toBe(200)
          peakRss = Math.max(peakRss, process.memoryUsage().rss)
          await new Promise((resolve) => setTimeout(resolve, 25))
        }
      })()
      const [mainBefore, allBefore] = [mainThreadCpuMs(), processCpuMs()]
      const answers = await Promise.all(
        bombs.map((bomb) => upload(app.url, PROXY_PATH, 'tokens.zip', bomb)),
      ).finally(() => (uploading = false))
      await watching
      const main = mainThreadCpuMs() - mainBefore
      const elsewhere = processCpuMs() - allBefore - main

      for (const answer of answers) expect(answer).toEqual({ status: 200, body: BAD_FILE })
      const slowest = Math.max(...latencies)
      console.info(
        `GET / during ${bombs.length} zips: ${latencies.length} requests, slowest ${Math.round(slowest)} ms; CPU ${Math.round(main)} ms on the main thread, ${Math.round(elsewhere)} ms elsewhere; peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`,
      )
      expect(latencies.length).toBeGreaterThan(10)
      // The checks' work ran elsewhere: on the event loop, it was 3.9 s of main-thread CPU
      // against 0.7 s here, in a test whose GETs alone did not notice.
      expect(main).toBeLessThan(elsewhere)
      await expectNothingLeft(app.sandboxDir)
    },
  )
})
