import { describe, expect, it } from 'vitest'
import type { ReadMessage } from './package-worker-api.ts'
import { followSharedRead, readFileInto } from './read-file-bytes.ts'

const MB = 1024 * 1024

function patterned(size: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: size }, (_, index) => (index * 7) & 0xff)
}

/** What readFileInto saw: the bytes, and how much was filled at each call. */
async function readAll(file: Pick<Blob, 'stream' | 'arrayBuffer'>, size: number) {
  const bytes = new Uint8Array(size)
  const filled: number[] = []
  await readFileInto(file, bytes, (end) => filled.push(end))
  return { bytes, filled }
}

describe('readFileInto', () => {
  it('fills the buffer a read at a time, telling how much is in after each', async () => {
    const content = patterned(2.5 * MB)
    const { bytes, filled } = await readAll(new Blob([content]), content.length)
    expect(Buffer.from(bytes).equals(content)).toBe(true)
    expect(filled.length).toBeGreaterThan(1)
    expect(filled).toEqual([...filled].sort((a, b) => a - b))
    expect(filled[filled.length - 1]).toBe(content.length)
  })

  it('reads a stream without byte reads whole', async () => {
    const content = patterned(1000)
    const blob = new Blob([content])
    // A plain stream: getReader({ mode: 'byob' }) throws, so the whole file is read at once.
    const file = {
      stream: () => new ReadableStream({ start: (controller) => controller.close() }),
      arrayBuffer: () => blob.arrayBuffer(),
    }
    expect(await readAll(file, content.length)).toEqual({ bytes: content, filled: [1000] })
  })

  it('fails when a file read whole is not the size it was', async () => {
    const blob = new Blob([patterned(2000)])
    const file = {
      stream: () => new ReadableStream({ start: (controller) => controller.close() }),
      arrayBuffer: () => blob.arrayBuffer(),
    }
    await expect(readAll(file, 1000)).rejects.toThrow('The file changed while it was being read.')
  })

  it('reads nothing for an empty file', async () => {
    expect(await readAll(new Blob([]), 0)).toEqual({ bytes: new Uint8Array(0), filled: [] })
  })

  it.each([
    ['grew', 2000, 1000],
    ['shrank', 500, 1000],
  ])('fails when the file %s since it was picked', async (_, actual, expected) => {
    await expect(readAll(new Blob([patterned(actual)]), expected)).rejects.toThrow(
      'The file changed while it was being read.',
    )
  })
})

describe('followSharedRead', () => {
  /** What the follower saw of these messages from the reading worker, and how it ended. */
  async function follow(messages: ReadMessage[], onRead: (filled: number) => void = () => {}) {
    const channel = new MessageChannel()
    const seen: number[] = []
    const followed = followSharedRead(channel.port2, (filled) => {
      seen.push(filled)
      onRead(filled)
    })
    for (const message of messages) channel.port1.postMessage(message)
    const outcome = await followed.then(
      () => 'done',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    )
    channel.port1.close()
    return { seen, outcome }
  }

  it('tells each filled mark, then settles when the read is done', async () => {
    const result = await follow([{ filled: 10 }, { filled: 25 }, { done: true }])
    expect(result).toEqual({ seen: [10, 25], outcome: 'done' })
  })

  it("fails with the reading worker's message", async () => {
    const result = await follow([
      { filled: 10 },
      { failed: 'The file changed while it was being read.' },
    ])
    expect(result).toEqual({ seen: [10], outcome: 'The file changed while it was being read.' })
  })

  it('fails when checking the bytes fails, instead of waiting on', async () => {
    const result = await follow([{ filled: 10 }, { filled: 20 }], () => {
      throw new Error('scan broke')
    })
    expect(result).toEqual({ seen: [10], outcome: 'scan broke' })
  })
})
