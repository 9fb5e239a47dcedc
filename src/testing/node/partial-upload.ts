import { request, type IncomingHttpHeaders } from 'node:http'
import { multipartEnvelope } from './multipart.ts'

export interface PartialUpload {
  /** The answer, if one comes before the connection ends; null when it ends without one. */
  answer: Promise<{ status: number; headers: IncomingHttpHeaders; text: string } | null>
  /** Cuts the connection, as a browser tab closed mid-upload does. */
  abort(): void
}

export interface PartialUploadOptions {
  headers?: Record<string, string>
  /** File bytes sent after the form's head; the rest of the body never comes. */
  sent: Buffer
  /** Bytes the file part claims through Content-Length (the body's length is derived). */
  size: number
  fileName?: string
}

/**
 * A multipart upload that stops part-way: the form's head and `sent` bytes of a `size`-byte
 * file go out, then nothing more, until the test aborts it or the server gives up on it.
 */
export function partialUpload(base: string, path: string, options: PartialUploadOptions) {
  const { hostname, port } = new URL(base)
  const form = multipartEnvelope({
    field: 'file',
    fileName: options.fileName ?? 'tokens.txt',
    size: options.size,
  })
  const req = request({
    hostname,
    port,
    path,
    method: 'POST',
    headers: {
      ...options.headers,
      'content-type': form.contentType,
      'content-length': String(form.length),
    },
  })
  const answer = new Promise<Awaited<PartialUpload['answer']>>((resolve) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text })
      })
      res.on('error', () => resolve(null))
    })
    req.on('error', () => resolve(null))
    req.on('close', () => resolve(null))
  })
  req.write(form.preamble)
  req.write(options.sent)
  return { answer, abort: () => req.destroy() } satisfies PartialUpload
}
