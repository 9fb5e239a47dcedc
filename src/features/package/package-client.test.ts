import { describe, expect, it } from 'vitest'
import { createPackageClient } from './package-client.ts'

/** A worker that takes messages, never answers, and can be made to fail. */
class SilentWorker extends EventTarget {
  terminated = false
  postMessage(): void {}
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
})
