import { createServer, type AddressInfo } from 'node:net'

/**
 * A port on 127.0.0.1 that nothing listens on: bound, then released. Another process could
 * take it in between, so use it at once (a server with strictPort then says so, not hangs).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = portOf(server)
      server.close(() => resolve(port))
    })
  })
}

/** The TCP port a listening server is bound to. */
export function portOf(server: { address(): AddressInfo | string | null }): number {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('No TCP port bound.')
  return address.port
}
