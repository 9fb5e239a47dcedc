import { z } from 'zod'
import { isRegionId, type RegionId } from './access-points.ts'

// Every JSON shape that crosses between the server and the page, once: the server types what
// it sends with these, and the page parses what it receives with the same schemas.

/** TPNS's answer to an upload, as documented; the proxy passes on nothing else as TPNS's. */
export const tpnsAnswerSchema = z.object({
  retCode: z.int(),
  errMsg: z.string(),
  uploadId: z.int().positive().optional(),
})
export type TpnsAnswer = z.infer<typeof tpnsAnswerSchema>

/** The faults the proxy names when TPNS did not answer usefully. */
export const PROXY_ERROR_CODES = [
  'not-found',
  'method-not-allowed',
  'cross-origin',
  'too-large',
  'unreachable',
  'timeout',
  'redirect',
  'not-json',
  'bad-shape',
] as const
export type ProxyErrorCode = (typeof PROXY_ERROR_CODES)[number]

/** What the proxy answers when TPNS did not answer usefully; the page shows `message`. */
export const proxyErrorSchema = z.object({
  // Parsed as any name, not only PROXY_ERROR_CODES: a newer server may name a fault that this
  // page does not know yet, and its message still explains it.
  proxyError: z.string().min(1),
  message: z.string(),
  /** The upstream's HTTP status, when it answered something that was not TPNS JSON. */
  upstreamStatus: z.int().optional(),
})
/** What this server sends: only the faults it knows. */
export type ProxyErrorBody = z.infer<typeof proxyErrorSchema> & { proxyError: ProxyErrorCode }

const regionIdSchema = z.custom<RegionId>(
  (value) => typeof value === 'string' && isRegionId(value),
  'unknown access point',
)

/** GET /tpns/config: whether the server holds the credentials, and which regions it serves. */
export const tpnsConfigSchema = z.object({
  serverCredentials: z.boolean(),
  /** The AccessID the server uploads with; the SecretKey never leaves the server. */
  accessId: z.string().nullable(),
  regions: z.array(regionIdSchema).min(1),
  /** 'sandbox' when the server holds no credentials, so a first try needs no account. */
  defaultRegion: z.literal('sandbox').nullable(),
})
export type TpnsConfig = z.infer<typeof tpnsConfigSchema>
