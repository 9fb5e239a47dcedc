import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeWorker } from '../../testing/fake-worker.ts'
import { readySnapshot } from '../../testing/package-snapshot.ts'
import { createPackageClient, type PackageClient } from './package-client.ts'
import type { PackageWorkerApi, ReadProgress } from './package-worker-api.ts'

/** Resolves after the messages in flight have been delivered. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

/** A package worker that answers at once, reporting progress as `progress` says. */
function answering(progress: 'before' | 'after' | 'none' = 'before'): Partial<PackageWorkerApi> {
  let name = ''
  let rows = 1
  return {
    open(file, _kind, onProgress: (progress: ReadProgress) => void) {
      name = 'tokens.txt'
      const last = { phase: 'reading' as const, done: file.size, total: file.size }
      if (progress === 'before') onProgress(last)
      // The result goes on the worker's port, the progress on its own: the order in which
      // they reach the page is not the order in which they were sent.
      if (progress === 'after') setTimeout(() => onProgress(last), 5)
      return Promise.resolve(readySnapshot(name, rows))
    },
    perform() {
      rows++
      return readySnapshot(name, rows)
    },
    undo() {
      rows--
      return readySnapshot(name, rows)
    },
    readRows: () => [],
  }
}

/** A client whose every worker is made by `make`, kept in order of creation. */
function clientOf(make: () => FakeWorker): { client: PackageClient; workers: FakeWorker[] } {
  const workers: FakeWorker[] = []
  const client = createPackageClient(() => {
    const worker = make()
    workers.push(worker)
    return worker.asWorker()
  }, null)
  return { client, workers }
}

const file = (name = 'tokens.txt', text = 'x') => new File([text], name)

describe('package client', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('reads a file: reading, then the package', async () => {
    const { client } = clientOf(() => new FakeWorker(answering()))
    const opened = client.open(file(), 'token')
    expect(client.getStatus()).toMatchObject({ state: 'reading', fileName: 'tokens.txt' })
    await opened
    expect(client.getStatus()).toMatchObject({ state: 'done', version: 1, busy: false })
  })

  it('stays done when the last progress arrives after the result (the Firefox hang)', async () => {
    const { client } = clientOf(() => new FakeWorker(answering('after')))
    await client.open(file(), 'token')
    await settle()
    expect(client.getStatus()).toMatchObject({ state: 'done', version: 1 })
  })

  it('fixes and undo: busy meanwhile, a new version after each', async () => {
    const { client } = clientOf(() => new FakeWorker(answering()))
    await client.open(file(), 'token')
    const fixing = client.perform({ type: 'fix', fix: 'blank' })
    expect(client.getStatus()).toMatchObject({ state: 'done', busy: true, version: 1 })
    await fixing
    expect(client.getStatus()).toMatchObject({ state: 'done', busy: false, version: 2 })
    expect(client.getStatus()).toHaveProperty('snapshot.report.rows', 2)
    await client.undo()
    expect(client.getStatus()).toMatchObject({ version: 3, snapshot: { report: { rows: 1 } } })
  })

  it('a step the worker refuses: not busy for good, the package as it was, and why', async () => {
    const refusing = {
      ...answering(),
      addSource: () => Promise.reject(new Error('The file changed while it was being read.')),
    }
    const { client } = clientOf(() => new FakeWorker(refusing))
    await client.open(file(), 'token')
    await expect(client.addSource(file('b.txt'))).rejects.toThrow('changed')
    expect(client.getStatus()).toMatchObject({
      state: 'done',
      version: 1,
      busy: false,
      stepError: 'The file changed while it was being read.',
    })
  })

  it('a file dropped while another is read: only the new one shows, the old workers stop', async () => {
    let release = () => {}
    const slow: Partial<PackageWorkerApi> = {
      open: () => new Promise((resolve) => (release = () => resolve(readySnapshot('old.txt', 5)))),
    }
    const makers = [() => new FakeWorker(slow), () => new FakeWorker(answering())]
    const { client, workers } = clientOf(() =>
      (makers[workers.length] ?? (() => new FakeWorker()))(),
    )
    const old = client.open(file('old.txt'), 'token')
    await client.open(file('new.txt'), 'token')
    release()
    await old
    await settle()
    expect(client.getStatus()).toMatchObject({ state: 'done', version: 1 })
    expect(client.getStatus()).toHaveProperty('snapshot.report.rows', 1)
    expect(workers[0].terminated).toBe(true)
  })

  it('several files: the rest go to their own package, never to one that replaced it', async () => {
    const added: string[] = []
    let releaseAdd = () => {}
    const first: Partial<PackageWorkerApi> = {
      ...answering(),
      // The second file of the batch is still being read when another package replaces it.
      addSource: (added) =>
        new Promise((resolve) => (releaseAdd = () => resolve(readySnapshot(added.name, 2)))),
    }
    const later: Partial<PackageWorkerApi> = {
      ...answering(),
      addSource(file) {
        added.push(file.name)
        return Promise.resolve(readySnapshot('other.txt', 2))
      },
    }
    const makers = [() => new FakeWorker(first), () => new FakeWorker(later)]
    const { client, workers } = clientOf(() =>
      (makers[workers.length] ?? (() => new FakeWorker()))(),
    )
    const batch = client.openAll([file('a.txt'), file('b.txt'), file('c.txt')], 'token').then(
      () => 'all added',
      (error: unknown) => String(error),
    )
    await vi.waitFor(() => expect(client.getStatus()).toMatchObject({ busy: true }))
    await client.open(file('other.txt'), 'token')
    releaseAdd()
    // The batch's step ends with its run, rejected rather than left waiting for a stopped worker.
    expect(await batch).toBe('Error: No package is open.')
    await settle()
    expect(added).toEqual([])
    expect(client.getStatus()).toHaveProperty('snapshot.report.fileName', 'tokens.txt')
    expect(workers[0].terminated).toBe(true)
  })

  it('a kind chosen while the file is read is applied once it is checked, not refused', async () => {
    let release = () => {}
    const asked: string[] = []
    const { client } = clientOf(
      () =>
        new FakeWorker({
          open: () => new Promise((resolve) => (release = () => resolve(readySnapshot('t.txt')))),
          perform(action) {
            asked.push(action.type)
            return {
              ...readySnapshot('t.txt'),
              report: { ...readySnapshot('t.txt').report, kind: 'account' },
            }
          },
        }),
    )
    const opened = client.open(file(), 'token')
    await settle()
    const switched = client.perform({ type: 'kind', kind: 'account' })
    await settle()
    expect(asked).toEqual([])
    expect(client.getStatus()).toMatchObject({ state: 'reading' })
    release()
    await opened
    await switched
    expect(asked).toEqual(['kind'])
    expect(client.getStatus()).toMatchObject({
      state: 'done',
      busy: false,
      version: 2,
      snapshot: { report: { kind: 'account' } },
    })
  })

  it('a kind chosen while a read is cancelled goes nowhere', async () => {
    const { client } = clientOf(() => new FakeWorker({ open: () => new Promise(() => {}) }))
    void client.open(file(), 'token')
    const switched = client.perform({ type: 'kind', kind: 'account' })
    client.cancel()
    await expect(switched).rejects.toThrow('No package is open.')
    expect(client.getStatus()).toEqual({ state: 'cancelled', fileName: 'tokens.txt' })
  })

  it('a list added with no package open is a rejected promise, not a throw', async () => {
    const { client } = clientOf(() => new FakeWorker(answering()))
    await expect(client.addSource(file())).rejects.toThrow('No package is open.')
    await expect(client.exclude(file())).rejects.toThrow('No package is open.')
  })

  it('a worker that dies while reading fails the read instead of reading forever', async () => {
    const { client, workers } = clientOf(() => new FakeWorker())
    const opened = client.open(file(), 'token')
    workers[0].crash()
    await opened
    expect(client.getStatus()).toEqual({
      state: 'failed',
      fileName: 'tokens.txt',
      message: 'The checking worker stopped.',
    })
    expect(workers[0].terminated).toBe(true)
    await expect(client.readRows(0, 10)).rejects.toThrow('No package is open.')
  })

  it('an error thrown by the worker while reading is shown as it was said', async () => {
    const { client } = clientOf(
      () =>
        new FakeWorker({
          open: () => Promise.reject(new Error('The file changed while it was being read.')),
        }),
    )
    await client.open(file(), 'token')
    expect(client.getStatus()).toMatchObject({
      state: 'failed',
      message: 'The file changed while it was being read.',
    })
  })

  it('cancel mid-read: cancelled, workers stopped, and a late answer does not show', async () => {
    let release = () => {}
    const { client, workers } = clientOf(
      () =>
        new FakeWorker({
          open: () => new Promise((resolve) => (release = () => resolve(readySnapshot('t.txt')))),
        }),
    )
    const opened = client.open(file(), 'token')
    await settle()
    client.cancel()
    await opened
    release()
    await settle()
    expect(client.getStatus()).toEqual({ state: 'cancelled', fileName: 'tokens.txt' })
    expect(workers[0].terminated).toBe(true)
  })

  describe('workers started ahead', () => {
    it('the file goes to the worker started ahead, not to a new one', () => {
      const { client, workers } = clientOf(() => new FakeWorker())
      client.prepare()
      client.prepare()
      expect(workers).toHaveLength(1)
      void client.open(file(), 'token')
      expect(workers).toHaveLength(1)
      expect(workers[0].received).toHaveLength(1)
    })

    it('a worker that failed to load while waiting is replaced before it gets the file', () => {
      const { client, workers } = clientOf(() => new FakeWorker())
      client.prepare()
      workers[0].crash()
      void client.open(file(), 'token')
      expect(workers).toHaveLength(2)
      expect(workers[0].terminated).toBe(true)
      expect(workers[0].received).toEqual([])
      expect(workers[1].received).toHaveLength(1)
      expect(client.getStatus()).toMatchObject({ state: 'reading' })
    })

    it('after a read or a cancel, the next file’s worker is started ahead', async () => {
      vi.useFakeTimers()
      const { client, workers } = clientOf(() => new FakeWorker())
      void client.open(file(), 'token')
      client.cancel()
      expect(workers).toHaveLength(1)
      await vi.runOnlyPendingTimersAsync()
      expect(workers).toHaveLength(2)
      expect(workers[1].received).toEqual([])
    })
  })

  describe('memory shared between a reader and the package worker', () => {
    function isolatedClient() {
      const worker = new FakeWorker()
      const readers: FakeWorker[] = []
      const client = createPackageClient(
        () => worker.asWorker(),
        () => {
          const reader = new FakeWorker()
          readers.push(reader)
          return reader.asWorker()
        },
      )
      const opened = client.open(file('tokens.txt', '0123'), 'token')
      return { client, worker, readers, opened }
    }

    it('on a cross-origin isolated page, a reader reads the file into shared memory its size', () => {
      vi.stubGlobal('crossOriginIsolated', true)
      const { readers, opened } = isolatedClient()
      expect(readers).toHaveLength(1)
      const [request] = readers[0].received
      expect(request).toMatchObject({ file: { name: 'tokens.txt' } })
      expect(request).toHaveProperty('bytes.byteLength', 4)
      expect(Reflect.get(Object(request), 'bytes')).toBeInstanceOf(SharedArrayBuffer)
      void opened
    })

    it('isolated but without SharedArrayBuffer (WebKitGTK): no reader, the worker reads', () => {
      vi.stubGlobal('crossOriginIsolated', true)
      vi.stubGlobal('SharedArrayBuffer', undefined)
      const { readers, worker, opened } = isolatedClient()
      expect(readers).toEqual([])
      expect(worker.received).toHaveLength(1)
      void opened
    })

    it('not isolated: no reader', () => {
      vi.stubGlobal('crossOriginIsolated', false)
      const { readers, opened } = isolatedClient()
      expect(readers).toEqual([])
      void opened
    })

    it('a reader that fails to load fails the read, and both workers stop', async () => {
      vi.stubGlobal('crossOriginIsolated', true)
      const { client, worker, readers, opened } = isolatedClient()
      readers[0].crash()
      await opened
      expect(client.getStatus()).toMatchObject({ state: 'failed', fileName: 'tokens.txt' })
      expect([worker.terminated, readers[0].terminated]).toEqual([true, true])
    })

    it('cancelling stops the reader too', () => {
      vi.stubGlobal('crossOriginIsolated', true)
      const { client, worker, readers, opened } = isolatedClient()
      client.cancel()
      expect(client.getStatus()).toEqual({ state: 'cancelled', fileName: 'tokens.txt' })
      expect([worker.terminated, readers[0].terminated]).toEqual([true, true])
      void opened
    })
  })
})
