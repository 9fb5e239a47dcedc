import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'vite'
import { afterEach, describe, expect, test } from 'vitest'
import { zipOf } from '../src/core/test-fixtures.ts'
import { CheckTimeout, createCheckRunner, type CheckRunnerOptions } from './check-runner.ts'
import { startSandbox } from './sandbox-server.ts'

const FAKE = new URL('../src/testing/node/fake-check-worker.ts', import.meta.url)
const dirs: string[] = []

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function notes(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tpns-check-runner-'))
  dirs.push(dir)
  const path = join(dir, 'notes.txt')
  await writeFile(path, '')
  return path
}

/** The most checks that ran at once, from the starts and ends the fake worker noted. */
async function mostAtOnce(path: string): Promise<number> {
  const events = (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .map(([what, time]) => ({ delta: what === 'start' ? 1 : -1, time: Number(time) }))
    .sort((a, b) => a.time - b.time || a.delta - b.delta)
  let now = 0
  let most = 0
  for (const event of events) most = Math.max(most, (now += event.delta))
  return most
}

function runner(options: CheckRunnerOptions = {}) {
  return createCheckRunner({ workerEntry: FAKE, ...options })
}

const open = () => new AbortController().signal

describe('createCheckRunner', () => {
  test.each([1, 2])('runs at most %i checks at once; the rest wait their turn', async (n) => {
    const path = await notes()
    const checks = runner({ concurrency: n })
    const answers = await Promise.all(
      [0, 1, 2, 3].map(() => checks.check(path, 'wait-300', open())),
    )
    expect(answers).toEqual(Array(4).fill({ verdict: 'ready', codes: [] }))
    expect(await mostAtOnce(path)).toBe(n)
  })

  test('a check whose client goes away while it waits never starts', async () => {
    const path = await notes()
    const checks = runner({ concurrency: 1 })
    const first = checks.check(path, 'wait-300', open())
    const leaving = new AbortController()
    const second = checks.check(path, 'wait-10', leaving.signal)
    leaving.abort(new Error('gone'))
    await expect(second).rejects.toThrow('gone')
    await first
    expect((await readFile(path, 'utf8')).match(/start/g)).toHaveLength(1)
  })

  test('a running check is stopped when its client goes away, and frees its slot', async () => {
    const path = await notes()
    const checks = runner({ concurrency: 1 })
    const leaving = new AbortController()
    const hanging = checks.check(path, 'hang', leaving.signal)
    setTimeout(() => leaving.abort(new Error('gone')), 200)
    await expect(hanging).rejects.toThrow('gone')
    await expect(checks.check(path, 'wait-10', open())).resolves.toMatchObject({ verdict: 'ready' })
  })

  test('a check past its time is stopped with CheckTimeout, and frees its slot', async () => {
    const path = await notes()
    // Long enough for a worker to start on a busy machine, which the timeout includes.
    const checks = runner({ concurrency: 1, timeoutMs: 2_000 })
    await expect(checks.check(path, 'hang', open())).rejects.toBeInstanceOf(CheckTimeout)
    await expect(checks.check(path, 'wait-10', open())).resolves.toMatchObject({ verdict: 'ready' })
  })

  test.each(['throw', 'exit'])('a worker that fails (%s) rejects its check', async (how) => {
    const path = await notes()
    const checks = runner()
    await expect(checks.check(path, how, open())).rejects.toThrow()
    await expect(checks.check(path, 'wait-10', open())).resolves.toMatchObject({ verdict: 'ready' })
  })

  test('the sandbox will not start without its worker, and names the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tpns-check-runner-'))
    dirs.push(dir)
    const workerEntry = new URL('file:///nowhere/check-worker.js')
    const log = { info: () => undefined, warn: () => undefined }
    await expect(startSandbox({ dir, log, env: {}, checks: { workerEntry } })).rejects.toThrow(
      '/nowhere/check-worker.js',
    )
  })
})

describe('the real check worker', () => {
  const ready = async () => ({ 'tokens.txt': 'fa' + '0'.repeat(34) + '\n' })

  test('from the TypeScript sources, through tsx', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'tpns-check-runner-')), 'tokens.zip')
    dirs.push(join(path, '..'))
    await writeFile(path, await zipOf(await ready()))
    const checks = createCheckRunner()
    expect(await checks.check(path, 'tokens.zip', open())).toEqual({ verdict: 'ready', codes: [] })
    expect((await checks.check(path, 'tokens.pdf', open())).codes).toContain('extension')
  })

  test('from a bundle, as a server built into one file would ship it beside itself', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tpns-check-bundle-'))
    dirs.push(dir)
    await build({
      configFile: false,
      logLevel: 'silent',
      publicDir: false,
      ssr: { noExternal: true },
      build: {
        ssr: new URL('./check-worker.ts', import.meta.url).pathname,
        outDir: dir,
        rollupOptions: { output: { entryFileNames: '[name].mjs' } },
      },
    })
    const path = join(dir, 'tokens.zip')
    await writeFile(path, await zipOf(await ready()))
    const workerEntry = pathToFileURL(join(dir, 'check-worker.mjs'))
    const checks = createCheckRunner({ workerEntry })
    expect(await checks.check(path, 'tokens.zip', open())).toEqual({ verdict: 'ready', codes: [] })
  })
})
