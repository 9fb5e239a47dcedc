import JSZip from 'jszip'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { MAX_PACKAGE_BYTES } from '../src/core/problem-codes.ts'
import { multipart } from '../src/testing/node/multipart.ts'
import { basic, send, startApp, tokens, type RunningApp } from './test-support.ts'

const SANDBOX = '/tpns/sandbox/v3/push/package/upload'
const AUTH = basic('sandbox-id', 'sandbox-SECRET-9')
const running: { close(): Promise<void> }[] = []

afterEach(async () => {
  // In order: apps close before the directories they use are removed.
  for (const item of running.splice(0).reverse()) await item.close()
})

async function start(env: Record<string, string> = {}): Promise<RunningApp> {
  const app = await startApp(env)
  running.push(app)
  return app
}

async function uploadFile(
  app: RunningApp,
  fileName: string,
  content: Buffer | string,
  authorization: string | null = AUTH,
) {
  const form = multipart([{ field: 'file', fileName, content }])
  const answer = await send(app.url, SANDBOX, {
    headers: {
      'content-type': form.contentType,
      ...(authorization === null ? {} : { authorization }),
    },
    body: form.body,
  })
  return { status: answer.status, body: answer.json() }
}

async function zipOf(entries: Record<string, string>): Promise<Buffer> {
  const zip = new JSZip()
  for (const [name, content] of Object.entries(entries)) zip.file(name, content)
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
}

async function storedFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'packages'))).sort()
}

describe('accepting packages', () => {
  test('keeps a valid .txt with a record and answers uploadId 1, then 2', async () => {
    const app = await start()
    const content = tokens(3)
    expect(await uploadFile(app, 'tokens.txt', content)).toEqual({
      status: 200,
      body: { retCode: 0, errMsg: 'NO_ERROR', uploadId: 1 },
    })
    expect((await uploadFile(app, 'more.csv', tokens(2, 1))).body).toEqual({
      retCode: 0,
      errMsg: 'NO_ERROR',
      uploadId: 2,
    })

    expect(await storedFiles(app.sandboxDir)).toEqual(['1.json', '1.txt', '2.csv', '2.json'])
    const record: unknown = JSON.parse(
      await readFile(join(app.sandboxDir, 'packages', '1.json'), 'utf8'),
    )
    expect(record).toEqual({
      uploadId: 1,
      fileName: 'tokens.txt',
      bytes: Buffer.byteLength(content),
      sha256: createHash('sha256').update(content).digest('hex'),
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      accessId: 'sandbox-id',
      storedAs: '1.txt',
    })
    expect(await readFile(join(app.sandboxDir, 'packages', '1.txt'), 'utf8')).toBe(content)
    expect(await readdir(join(app.sandboxDir, 'incoming'))).toEqual([])
  })

  test('takes a zip holding exactly one .txt', async () => {
    const app = await start()
    const zip = await zipOf({ 'tokens.txt': tokens(5) })
    expect((await uploadFile(app, 'tokens.zip', zip)).body).toMatchObject({
      retCode: 0,
      uploadId: 1,
    })
    expect(await readFile(join(app.sandboxDir, 'packages', '1.zip'))).toEqual(zip)
  })

  test('uploadIds keep increasing across a restart on the same TPNS_SANDBOX_DIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tpns-sandbox-restart-'))
    running.push({ close: () => rm(dir, { recursive: true, force: true }) })
    const first = await startApp({ TPNS_SANDBOX_DIR: dir })
    expect((await uploadFile(first, 'a.txt', tokens(1))).body).toMatchObject({ uploadId: 1 })
    expect((await uploadFile(first, 'b.txt', tokens(1, 2))).body).toMatchObject({ uploadId: 2 })
    await first.close()

    const second = await start({ TPNS_SANDBOX_DIR: dir })
    expect((await uploadFile(second, 'c.txt', tokens(1, 3))).body).toMatchObject({ uploadId: 3 })
    expect(JSON.parse(await readFile(join(dir, 'upload-counter.json'), 'utf8'))).toEqual({
      lastUploadId: 3,
    })
  })

  test('uploads finishing together get distinct, consecutive uploadIds', async () => {
    const app = await start()
    const answers = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((seed) => uploadFile(app, `p${seed}.txt`, tokens(10, seed))),
    )
    const ids = answers.map((answer) => (answer.body as { uploadId: number }).uploadId)
    expect([...ids].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6])
  })

  test('records the server AccessID when the server holds the credentials; no secret on disk', async () => {
    const app = await start({ TPNS_ACCESS_ID: 'server-id', TPNS_SECRET_KEY: 'server-SECRET-3' })
    expect((await uploadFile(app, 'a.txt', tokens(2), null)).body).toMatchObject({ retCode: 0 })
    const record = await readFile(join(app.sandboxDir, 'packages', '1.json'), 'utf8')
    expect(JSON.parse(record)).toMatchObject({ accessId: 'server-id' })
    for (const name of [...(await storedFiles(app.sandboxDir)), '../upload-counter.json']) {
      const text = await readFile(join(app.sandboxDir, 'packages', name), 'utf8')
      expect(text).not.toContain('server-SECRET-3')
      expect(text).not.toContain(basic('server-id', 'server-SECRET-3').slice(6))
    }
  })
})

describe("the sandbox's own faults: 1008004, with an HTTP status that says so", () => {
  test('a damaged upload counter: HTTP 500, logged, nothing kept', async () => {
    const app = await start()
    await writeFile(join(app.sandboxDir, 'upload-counter.json'), '{"lastUploadId":"seven"}')
    expect(await uploadFile(app, 'tokens.txt', tokens(3))).toEqual({
      status: 500,
      body: { retCode: 1008004, errMsg: 'invoke service error' },
    })
    expect(app.logs.some((line) => line.startsWith('tpns sandbox: '))).toBe(true)
    expect(await storedFiles(app.sandboxDir)).toEqual([])
    expect(await readdir(join(app.sandboxDir, 'incoming'))).toEqual([])
  })
})

describe('refusing as TPNS does (HTTP 200, the retCode decides)', () => {
  const auth = { retCode: 1008003, errMsg: 'auth failure' }
  test.each([
    ['no Authorization', null],
    ['a Bearer token', 'Bearer abc'],
    ['Basic without a colon', `Basic ${Buffer.from('justid').toString('base64')}`],
    ['an empty AccessID', basic('', 'secret')],
    ['an empty SecretKey', basic('id', '')],
    ['Basic that is not base64', 'Basic !!!'],
  ])('%s: 1008003 auth failure', async (_name, authorization) => {
    const app = await start()
    expect(await uploadFile(app, 'tokens.txt', tokens(3), authorization)).toEqual({
      status: 200,
      body: auth,
    })
    expect(await storedFiles(app.sandboxDir)).toEqual([])
  })

  test('no part named file: 1008002 missing parameter', async () => {
    const app = await start()
    const form = multipart([
      { field: 'fileName', content: 'tokens.txt' },
      { field: 'upload', fileName: 'tokens.txt', content: tokens(3) },
    ])
    const answer = await send(app.url, SANDBOX, {
      headers: { 'content-type': form.contentType, authorization: AUTH },
      body: form.body,
    })
    expect(answer.json()).toEqual({ retCode: 1008002, errMsg: 'missing parameter' })
  })

  test('a body that is not multipart: 1008001 parameter parse error', async () => {
    const app = await start()
    const answer = await send(app.url, SANDBOX, {
      headers: { 'content-type': 'application/json', authorization: AUTH },
      body: '{"file":"x"}',
    })
    expect(answer.json()).toEqual({ retCode: 1008001, errMsg: 'parameter parse error' })
  })

  const invalid = { retCode: 1008007, errMsg: 'invalid parameter' }
  test.each([
    ['a .pdf name', 'tokens.pdf'],
    ['a name of 101 characters', `${'a'.repeat(97)}.txt`],
    ['no extension', 'tokens'],
  ])('%s: 1008007 invalid parameter', async (_name, fileName) => {
    const app = await start()
    expect((await uploadFile(app, fileName, tokens(3))).body).toEqual(invalid)
  })

  test('an account package is judged by the account rules', async () => {
    const app = await start()
    const accounts = 'alice\nbob@example.com\n13800138000\n'
    expect((await uploadFile(app, 'accounts.txt', accounts)).body).toMatchObject({ retCode: 0 })
    expect((await uploadFile(app, 'accounts.txt', `${accounts}alice\n`)).body).toEqual({
      retCode: 1008011,
      errMsg: 'upload file error',
    })
  })

  test('a name of exactly 100 characters is fine', async () => {
    const app = await start()
    expect((await uploadFile(app, `${'a'.repeat(96)}.txt`, tokens(3))).body).toMatchObject({
      retCode: 0,
    })
  })

  test.each([
    ['an empty .txt', 'tokens.txt', async () => ''],
    ['a zip holding an empty .txt', 'tokens.zip', () => zipOf({ 'tokens.txt': '' })],
  ])('%s: 1008012 upload empty file', async (_name, fileName, content) => {
    const app = await start()
    expect((await uploadFile(app, fileName, await content())).body).toEqual({
      retCode: 1008012,
      errMsg: 'upload empty file',
    })
  })

  const badFile = { retCode: 1008011, errMsg: 'upload file error' }
  test.each([
    ['uppercase tokens', async () => tokens(3).toUpperCase()],
    ['a short row', async () => `${tokens(2)}abc\n`],
    ['a duplicate row', async () => tokens(2) + tokens(1)],
    ['GBK bytes', async () => Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a])],
  ])('%s in a .txt: 1008011 upload file error', async (_name, content) => {
    const app = await start()
    expect((await uploadFile(app, 'tokens.txt', await content())).body).toEqual(badFile)
  })

  test.each([
    ['two files', { 'a.txt': tokens(1), 'b.txt': tokens(1, 1) }],
    ['a folder', { 'inner/tokens.txt': tokens(2) }],
    ['macOS metadata', { 'tokens.txt': tokens(2), '__MACOSX/._tokens.txt': 'x' }],
  ])('a zip with %s: 1008011', async (_name, entries) => {
    const app = await start()
    expect((await uploadFile(app, 'tokens.zip', await zipOf(entries))).body).toEqual(badFile)
  })

  test('a corrupt zip: 1008011', async () => {
    const app = await start()
    const corrupt = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)])
    expect((await uploadFile(app, 'tokens.zip', corrupt)).body).toEqual(badFile)
  })

  test('a file one byte over 100 MB: 1008011, and nothing kept', async () => {
    const app = await start()
    const answer = await uploadFile(app, 'huge.txt', Buffer.alloc(MAX_PACKAGE_BYTES + 1, 0x61))
    expect(answer.body).toEqual(badFile)
    expect(await storedFiles(app.sandboxDir)).toEqual([])
    expect(await readdir(join(app.sandboxDir, 'incoming'))).toEqual([])
  })
})

describe('log lines', () => {
  test('a crafted AccessID is logged escaped, on one line; the SecretKey never', async () => {
    const app = await start()
    const accessId = 'id\nINFO kept uploadId 999 for AccessID "admin"\u001b[2J\u009b31m\u2028'
    const answer = await uploadFile(app, 'a.txt', tokens(2), basic(accessId, 'crafted-SECRET-1'))
    expect(answer.body).toMatchObject({ retCode: 0 })
    expect(app.logs.filter((line) => line.startsWith('tpns sandbox: '))).toEqual([
      'tpns sandbox: kept uploadId 1 for AccessID "id\\nINFO kept uploadId 999 for AccessID \\"admin\\"\\u001b[2J\\u009b31m\\u2028"',
    ])
    // eslint-disable-next-line no-control-regex
    const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
    for (const line of app.logs) {
      expect(line).not.toMatch(controls)
      expect(line).not.toContain('crafted-SECRET-1')
    }
  })
})
