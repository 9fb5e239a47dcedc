import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPackageClient, SILENT_WORKER_MS } from './package-client.ts'
import { WARM_BYTES } from './warm-memory.ts'

/** A worker that takes messages, never answers, and can be made to fail. */
class SilentWorker extends EventTarget {
  terminated = false
  received: unknown[] = []
  postMessage(message: unknown): void {
    this.received.push(message)
  }
  terminate(): void {
    this.terminated = true
  }
  start(): void {}
}

describe('package client', () => {
  it('a worker that dies while reading fails the read instead of reading forever', async () => {
    const worker = new SilentWorker()
    // A stand-in for Worker: only what Comlink and the client use of it.
    const client = createPackageClient(() => worker as unknown as Worker)
    const opened = client.open(new File(['x'], 'tokens.txt'), 'token')
    expect(client.getStatus()).toMatchObject({ state: 'reading', fileName: 'tokens.txt' })

    worker.dispatchEvent(new Event('error'))

    expect(client.getStatus()).toEqual({
      state: 'failed',
      fileName: 'tokens.txt',
      message: 'The checking worker stopped.',
    })
    expect(worker.terminated).toBe(true)
    void opened
  })

  describe('workers started ahead', () => {
    afterEach(() => vi.useRealTimers())

    /** A client whose every worker is a new SilentWorker, kept in order of creation. */
    function countingClient() {
      const workers: SilentWorker[] = []
      const client = createPackageClient(() => {
        const worker = new SilentWorker()
        workers.push(worker)
        return worker as unknown as Worker
      })
      return { client, workers }
    }

    it('the file goes to the worker started ahead, not to a new one', () => {
      const { client, workers } = countingClient()
      client.prepare()
      client.prepare()
      expect(workers).toHaveLength(1)
      void client.open(new File(['x'], 'tokens.txt'), 'token')
      expect(workers).toHaveLength(1)
      expect(workers[0].received).toHaveLength(1)
    })

    it('a worker that failed to load while waiting is replaced before it gets the file', () => {
      const { client, workers } = countingClient()
      client.prepare()
      workers[0].dispatchEvent(new Event('error'))
      void client.open(new File(['x'], 'tokens.txt'), 'token')
      expect(workers).toHaveLength(2)
      expect(workers[0].terminated).toBe(true)
      expect(workers[0].received).toEqual([])
      expect(workers[1].received).toHaveLength(1)
      expect(client.getStatus()).toMatchObject({ state: 'reading' })
    })

    it('a worker silent for too long after getting the file is replaced once', async () => {
      vi.useFakeTimers()
      const { client, workers } = countingClient()
      void client.open(new File(['x'], 'tokens.txt'), 'token')
      await vi.advanceTimersByTimeAsync(SILENT_WORKER_MS - 1)
      expect(workers).toHaveLength(1)

      await vi.advanceTimersByTimeAsync(1)
      expect(workers).toHaveLength(2)
      expect(workers[0].terminated).toBe(true)
      expect(workers[1].received).toHaveLength(1)
      expect(client.getStatus()).toMatchObject({ state: 'reading', fileName: 'tokens.txt' })

      // The fresh one is not watched: a slow machine is not a reason to start over again.
      await vi.advanceTimersByTimeAsync(SILENT_WORKER_MS * 3)
      expect(workers).toHaveLength(2)
      expect(workers[1].terminated).toBe(false)
    })

    it('after a cancel, the next file’s worker is started ahead', async () => {
      vi.useFakeTimers()
      const { client, workers } = countingClient()
      void client.open(new File(['x'], 'tokens.txt'), 'token')
      client.cancel()
      expect(workers).toHaveLength(1)
      await vi.runOnlyPendingTimersAsync()
      expect(workers).toHaveLength(2)
      expect(workers[1].received).toEqual([])
    })
  })

  describe('on a cross-origin isolated page', () => {
    afterEach(() => vi.unstubAllGlobals())

    function isolatedClient() {
      vi.stubGlobal('crossOriginIsolated', true)
      const worker = new SilentWorker()
      const reader = new SilentWorker()
      const client = createPackageClient(
        () => worker as unknown as Worker,
        () => reader as unknown as Worker,
      )
      const opened = client.open(new File(['0123'], 'tokens.txt'), 'token')
      return { client, worker, reader, opened }
    }

    it('a reader worker reads the file into shared memory the size of the file', () => {
      const { reader, opened } = isolatedClient()
      expect(reader.received).toHaveLength(1)
      const [request] = reader.received
      expect(request).toMatchObject({ file: { name: 'tokens.txt' } })
      expect(request).toHaveProperty('bytes.byteLength', 4)
      expect(Reflect.get(Object(request), 'bytes')).toBeInstanceOf(SharedArrayBuffer)
      void opened
    })

    it('a reader that fails to load fails the read, and both workers stop', () => {
      const { client, worker, reader, opened } = isolatedClient()
      reader.dispatchEvent(new Event('error'))
      expect(client.getStatus()).toMatchObject({ state: 'failed', fileName: 'tokens.txt' })
      expect([worker.terminated, reader.terminated]).toEqual([true, true])
      void opened
    })

    describe('memory made ready for the next file', () => {
      function preparedClient() {
        vi.stubGlobal('crossOriginIsolated', true)
        const readers: SilentWorker[] = []
        const client = createPackageClient(
          () => new SilentWorker() as unknown as Worker,
          () => {
            const reader = new SilentWorker()
            readers.push(reader)
            return reader as unknown as Worker
          },
        )
        client.prepare()
        return { client, readers }
      }
      const sharedOf = (message: unknown, key: string) => Reflect.get(Object(message), key)

      it('the spare reader is asked to touch memory the size of the largest package', () => {
        const { readers } = preparedClient()
        expect(readers).toHaveLength(1)
        const warm = sharedOf(readers[0].received[0], 'warm')
        expect(warm).toBeInstanceOf(SharedArrayBuffer)
        expect(warm).toHaveProperty('byteLength', WARM_BYTES)
      })

      it('a large file is read into it, and the next file gets new memory', async () => {
        vi.useFakeTimers()
        const { client, readers } = preparedClient()
        const warm = sharedOf(readers[0].received[0], 'warm')
        void client.open(new File([new Uint8Array(WARM_BYTES / 2)], 'tokens.txt'), 'token')
        expect(sharedOf(readers[0].received[1], 'bytes')).toBe(warm)

        client.cancel()
        await vi.runOnlyPendingTimersAsync()
        const next = sharedOf(readers[1].received[0], 'warm')
        expect(next).toBeInstanceOf(SharedArrayBuffer)
        expect(next).not.toBe(warm)
        vi.useRealTimers()
      })

      it('a small file gets memory of its own size, and the ready memory waits for the next', async () => {
        vi.useFakeTimers()
        const { client, readers } = preparedClient()
        const warm = sharedOf(readers[0].received[0], 'warm')
        void client.open(new File(['0123'], 'tokens.txt'), 'token')
        expect(sharedOf(readers[0].received[1], 'bytes')).toHaveProperty('byteLength', 4)

        client.cancel()
        await vi.runOnlyPendingTimersAsync()
        expect(sharedOf(readers[1].received[0], 'warm')).toBe(warm)
        vi.useRealTimers()
      })

      it('a device that says it has little memory gets none made ready', () => {
        vi.stubGlobal('navigator', { deviceMemory: 2 })
        const { readers } = preparedClient()
        expect(readers[0].received).toEqual([])
      })
    })

    it('cancelling stops the reader too', () => {
      const { client, worker, reader, opened } = isolatedClient()
      client.cancel()
      expect(client.getStatus()).toEqual({ state: 'cancelled', fileName: 'tokens.txt' })
      expect([worker.terminated, reader.terminated]).toEqual([true, true])
      void opened
    })
  })
})
