/** `Basic base64(AccessID:SecretKey)`, encoding the pair as UTF-8 as servers decode it. */
export function basicAuthorization(accessId: string, secretKey: string): string {
  const bytes = new TextEncoder().encode(`${accessId}:${secretKey}`)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return `Basic ${btoa(binary)}`
}
