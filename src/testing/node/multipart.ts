/** The first line of every part; no token or test content contains it. */
const BOUNDARY = '----tpnsTestBoundary7MA4YWxkTrZu0gW'

/** A form field; with a `fileName` it is a file part (Content-Type `type`, text/plain unless given). */
export interface PartHead {
  field: string
  fileName?: string
  type?: string
}

export interface Part extends PartHead {
  content: Buffer | string
}

/** A multipart/form-data body but for its last part's content, which goes in between. */
export interface MultipartEnvelope {
  contentType: string
  /** The parts before the last, whole, and the last part's head. */
  preamble: Buffer
  /** The last part's end and the closing boundary. */
  epilogue: Buffer
  /** The whole body's length, for Content-Length. */
  length: number
}

/**
 * A form as a browser's FormData sends it, whose last part holds `size` bytes sent between
 * `preamble` and `epilogue`: a package streamed from disk is never held whole in memory.
 */
export function multipartEnvelope(
  last: PartHead & { size: number },
  before: Part[] = [],
): MultipartEnvelope {
  const preamble = Buffer.concat([
    ...before.flatMap((part) => [partHead(part), toBuffer(part.content), Buffer.from('\r\n')]),
    partHead(last),
  ])
  const epilogue = Buffer.from(`\r\n--${BOUNDARY}--\r\n`)
  return {
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    preamble,
    epilogue,
    length: preamble.length + last.size + epilogue.length,
  }
}

/** A whole multipart/form-data body in memory, the way a browser's FormData would send it. */
export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const last = parts.at(-1)
  if (last === undefined) throw new Error('A form needs at least one part.')
  const { content, ...head } = last
  const bytes = toBuffer(content)
  const envelope = multipartEnvelope({ ...head, size: bytes.length }, parts.slice(0, -1))
  return {
    body: Buffer.concat([envelope.preamble, bytes, envelope.epilogue]),
    contentType: envelope.contentType,
  }
}

function partHead(part: PartHead): Buffer {
  const disposition =
    part.fileName === undefined
      ? `form-data; name="${part.field}"`
      : `form-data; name="${part.field}"; filename="${part.fileName}"`
  const type = part.fileName === undefined ? '' : `Content-Type: ${part.type ?? 'text/plain'}\r\n`
  return Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`)
}

function toBuffer(content: Buffer | string): Buffer {
  return Buffer.isBuffer(content) ? content : Buffer.from(content)
}
