/// <reference lib="webworker" />
import type { ReadMessage, SharedReadRequest } from './package-worker-api.ts'
import { readFileInto } from './read-file-bytes.ts'

/**
 * Reads one file into shared memory and tells the package worker, through the port, how much
 * is in: the rows are checked on the other core while the rest of the file still comes.
 */
self.onmessage = async ({ data }: MessageEvent<SharedReadRequest>) => {
  const { file, bytes, port } = data
  const send = (message: ReadMessage) => port.postMessage(message)
  try {
    await readFileInto(file, new Uint8Array(bytes), (filled) => send({ filled }))
    send({ done: true })
  } catch (error) {
    send({ failed: error instanceof Error ? error.message : String(error) })
  }
}
