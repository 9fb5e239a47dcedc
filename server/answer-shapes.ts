import type { ServerResponse } from 'node:http'
import { z } from 'zod'
import type { RegionId } from '../src/shared/access-points.ts'

// Every JSON body the server sends, in one place: the page parses these.

/** TPNS's answer to an upload, as documented: anything else is not passed to the page. */
export const tpnsAnswerSchema = z.object({
  retCode: z.int(),
  errMsg: z.string(),
  uploadId: z.int().positive().optional(),
})
export type TpnsAnswer = z.infer<typeof tpnsAnswerSchema>

export type ProxyErrorCode =
  | 'not-found'
  | 'method-not-allowed'
  | 'cross-origin'
  | 'too-large'
  | 'unreachable'
  | 'timeout'
  | 'redirect'
  | 'not-json'
  | 'bad-shape'

/** What the proxy answers when TPNS did not answer usefully; the page shows `message`. */
export interface ProxyErrorBody {
  proxyError: ProxyErrorCode
  message: string
  /** The upstream's HTTP status, when it answered something that was not TPNS JSON. */
  upstreamStatus?: number
}

/** GET /tpns/config: what the page needs to know about the server's TPNS set-up. */
export interface TpnsConfig {
  serverCredentials: boolean
  /** The AccessID the server uploads with; the SecretKey never leaves the server. */
  accessId: string | null
  regions: RegionId[]
  /** 'sandbox' when the server holds no credentials, so a first try needs no account. */
  defaultRegion: 'sandbox' | null
}

/** Answers with JSON; a Buffer is taken as JSON already encoded (an upstream answer). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: TpnsAnswer | ProxyErrorBody | TpnsConfig | Buffer,
  headers: Record<string, string> = {},
): void {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body))
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(payload.length),
    'Cache-Control': 'no-store',
  })
  res.end(payload)
}
