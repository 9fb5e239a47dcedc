import type { ServerResponse } from 'node:http'
import type {
  ProxyErrorBody,
  SessionInfo,
  TpnsAnswer,
  TpnsConfig,
} from '../src/shared/tpns-shapes.ts'

// The shapes themselves live in src/shared/tpns-shapes.ts, shared with the page.

/** Answers with JSON; a Buffer is taken as JSON already encoded (an upstream answer). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: TpnsAnswer | ProxyErrorBody | TpnsConfig | SessionInfo | { ok: true } | Buffer,
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
