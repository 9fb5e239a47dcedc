import type { IncomingMessage } from 'node:http'
import { BlockList, isIP } from 'node:net'

/** The proxies (a reverse proxy, an SSO proxy) whose forwarded headers this server believes. */
export interface TrustedProxies {
  /** Whether the direct peer of this request is one of them. */
  fromTrusted(req: IncomingMessage): boolean
}

/**
 * Parses TPNS_TRUSTED_PROXIES: comma-separated IPv4/IPv6 addresses and CIDRs. An IPv4 entry
 * also matches its ::ffff:-mapped form, which is how a dual-stack socket reports IPv4 peers.
 * Throws a message naming the entry (addresses are not secret).
 */
export function parseTrustedProxies(list: string): TrustedProxies {
  const blocks = new BlockList()
  for (const raw of list.split(',')) {
    const entry = raw.trim()
    if (entry === '') continue
    const [address, prefixText, extra] = entry.split('/')
    const family = isIP(address)
    const maxPrefix = family === 4 ? 32 : 128
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText)
    if (
      family === 0 ||
      extra !== undefined ||
      !/^\d{1,3}$/.test(prefixText ?? String(maxPrefix)) ||
      prefix > maxPrefix
    ) {
      throw new Error(`"${entry}" is not an IP address or CIDR`)
    }
    blocks.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6')
  }
  return {
    fromTrusted(req) {
      const peer = req.socket.remoteAddress
      if (peer === undefined) return false
      const family = isIP(peer)
      return family !== 0 && blocks.check(peer, family === 4 ? 'ipv4' : 'ipv6')
    },
  }
}

export const NO_TRUSTED_PROXIES: TrustedProxies = { fromTrusted: () => false }

/**
 * The address a request comes from: the socket's peer, or, when that peer is a trusted proxy,
 * the last address it appended to X-Forwarded-For (what it saw; anything before is the
 * client's say-so).
 */
export function clientAddress(req: IncomingMessage, proxies: TrustedProxies): string {
  const peer = req.socket.remoteAddress ?? 'unknown'
  if (!proxies.fromTrusted(req)) return peer
  const forwarded = lastHeaderValue(req.headers['x-forwarded-for'])
  return forwarded !== undefined && isIP(forwarded) !== 0 ? forwarded : peer
}

/** `https` when the socket is TLS, or a trusted proxy says it terminated TLS; else `http`. */
export function requestScheme(req: IncomingMessage, proxies: TrustedProxies): 'http' | 'https' {
  if ('encrypted' in req.socket && req.socket.encrypted === true) return 'https'
  if (!proxies.fromTrusted(req)) return 'http'
  return lastHeaderValue(req.headers['x-forwarded-proto'])?.toLowerCase() === 'https'
    ? 'https'
    : 'http'
}

function lastHeaderValue(value: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(value) ? value.join(',') : value
  return joined?.split(',').at(-1)?.trim() || undefined
}
