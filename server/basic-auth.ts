/** The Authorization value TPNS's Basic scheme expects. */
export function basicAuthorization(accessId: string, secretKey: string): string {
  return `Basic ${Buffer.from(`${accessId}:${secretKey}`).toString('base64')}`
}

/** The AccessID of a well-formed Basic header with both halves present, else null. */
export function basicAuthAccessId(header: string | undefined): string | null {
  const match = /^basic +([A-Za-z0-9+/]+={0,2})$/i.exec(header ?? '')
  if (!match) return null
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon > 0 && colon < decoded.length - 1 ? decoded.slice(0, colon) : null
}
