/// <reference lib="webworker" />
import type { ReadMessage, ReaderRequest } from './package-worker-api.ts'
import { readFileInto } from './read-file-bytes.ts'
import { touchPages, type Touching } from './warm-memory.ts'

let touching: Touching | null = null

/**
 * Reads one file into shared memory and tells the package worker, through the port, how much
 * is in: the rows are checked on the other core while the rest of the file still comes.
 * While it waits for the file, it touches the memory the file is likely to be read into.
 */
self.onmessage = async ({ data }: MessageEvent<ReaderRequest>) => {
  if ('warm' in data) {
    touching = { stopped: false }
    return touchPages(data.warm, touching)
  }
  if (touching) touching.stopped = true
  const { file, bytes, port } = data
  const send = (message: ReadMessage) => port.postMessage(message)
  try {
    await readFileInto(file, new Uint8Array(bytes, 0, file.size), (filled) => send({ filled }))
    send({ done: true })
  } catch (error) {
    send({ failed: error instanceof Error ? error.message : String(error) })
  }
}
