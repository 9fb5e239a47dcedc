import busboy from 'busboy'
import type { IncomingMessage } from 'node:http'

// The file part's head comes first in every form the page sends; a head further in than this
// is not looked for (the audit then says null rather than hold the stream up).
const LOOK_AT_MOST = 64 * 1024

/**
 * Watches a multipart upload go by for the name of its `file` part, without holding or
 * slowing the body: the first 64 KiB pass through a multipart parser beside the pipe.
 */
export function sniffFileName(req: IncomingMessage): () => string | null {
  let name: string | null = null
  let parser: busboy.Busboy
  try {
    parser = busboy({ headers: req.headers, defParamCharset: 'utf8' })
  } catch {
    return () => null
  }
  let seen = 0
  // The parser is simply left unfed: ending or destroying it mid-form makes it report the
  // form cut short, and it holds nothing but a little memory the collector takes back.
  const stop = () => {
    req.off('data', onData)
    parser.removeAllListeners('file')
  }
  const onData = (chunk: Buffer) => {
    seen += chunk.length
    parser.write(
      seen > LOOK_AT_MOST ? chunk.subarray(0, chunk.length - (seen - LOOK_AT_MOST)) : chunk,
    )
    if (seen >= LOOK_AT_MOST) stop()
  }
  parser.on('file', (field, stream, info) => {
    stream.resume()
    if (field !== 'file' || name !== null) return
    name = info.filename ?? null
    // Found: the rest of the body is none of this parser's business.
    queueMicrotask(stop)
  })
  parser.on('error', stop)
  req.once('end', stop)
  req.on('data', onData)
  return () => name
}
