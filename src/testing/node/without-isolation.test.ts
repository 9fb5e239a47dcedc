import { createServer, type Server } from 'node:http'
import { afterEach, expect, test } from 'vitest'
import { portOf } from './free-port.ts'
import { startProxyWithoutIsolation, type ProxyWithoutIsolation } from './without-isolation.ts'

const running: { close(): Promise<void> }[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})

/** An upstream that isolates every page and echoes what it was sent. */
async function startIsolatedEcho(): Promise<string> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      response.writeHead(201, {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'content-security-policy': "default-src 'self'",
        'content-type': 'application/json',
      })
      response.end(
        JSON.stringify({
          method: request.method,
          url: request.url,
          host: request.headers.host,
          body: Buffer.concat(chunks).toString(),
        }),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  running.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) })
  return `http://127.0.0.1:${portOf(server)}`
}

test('passes requests and answers on, less the two isolation headers', async () => {
  const proxy: ProxyWithoutIsolation = await startProxyWithoutIsolation(await startIsolatedEcho())
  running.push(proxy)
  const answer = await fetch(`${proxy.url}/some/path?x=1`, { method: 'POST', body: 'hello' })
  expect(answer.status).toBe(201)
  expect(answer.headers.get('cross-origin-opener-policy')).toBeNull()
  expect(answer.headers.get('cross-origin-embedder-policy')).toBeNull()
  expect(answer.headers.get('content-security-policy')).toBe("default-src 'self'")
  expect(await answer.json()).toEqual({
    method: 'POST',
    url: '/some/path?x=1',
    host: new URL(proxy.url).host,
    body: 'hello',
  })
})

test('an upstream that is gone is a 502 that says so', async () => {
  const proxy = await startProxyWithoutIsolation('http://127.0.0.1:9')
  running.push(proxy)
  const answer = await fetch(proxy.url)
  expect(answer.status).toBe(502)
  expect(await answer.text()).toContain('could not reach')
})
