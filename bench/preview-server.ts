import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const VITE = join(ROOT, 'node_modules/vite/bin/vite.js')

export interface PreviewServer {
  url: string
  /** The server's own process (node running vite), for reading its memory. */
  pid: number
  stop(): Promise<void>
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => (port ? resolve(port) : reject(new Error('No free port.'))))
    })
  })
}

/**
 * `vite preview` of the built dist/, as `npx vite preview --strictPort` would run it, but
 * started through node directly so that stopping it stops the server and not only npx.
 * `env` adds to (or overrides) the bench's own environment, e.g. `TPNS_GUANGZHOU_URL`.
 */
export async function startPreview(
  sandboxDir: string,
  env: Record<string, string> = {},
): Promise<PreviewServer> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}/`
  const child = spawn(
    process.execPath,
    [VITE, 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: ROOT,
      env: { ...process.env, TPNS_SANDBOX_DIR: sandboxDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    if (child.pid !== undefined && (await responds(url))) return { url, pid: child.pid, stop }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  await stop()
  throw new Error(`vite preview did not start on ${url}:\n${output}`)
}

async function responds(url: string): Promise<boolean> {
  try {
    const response = await fetch(url)
    return response.ok
  } catch {
    return false
  }
}
