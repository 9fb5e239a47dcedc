import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './free-port.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js')
const START_TIMEOUT_MS = 30_000

export interface PreviewServer {
  url: string
  /** The server's own process (node running vite), for reading its memory. */
  pid: number
  /** What the server printed, for failure messages. */
  output(): string
  close(): Promise<void>
}

/**
 * `vite preview` of the built app (dist/) with its TPNS proxy, as `npx vite preview
 * --strictPort` would run it but started through node directly, so that closing it stops the
 * server and not only npx. On a free port, its sandbox in a fresh temporary folder, with this
 * process's environment less any TPNS_* (they would change the mode) plus `env`.
 */
export async function startPreview(env: Record<string, string> = {}): Promise<PreviewServer> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const sandboxDir = await mkdtemp(join(tmpdir(), 'tpns-preview-'))
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TPNS_')),
  )
  const child = spawn(
    process.execPath,
    [VITE, 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: ROOT,
      env: { ...inherited, TPNS_SANDBOX_DIR: sandboxDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.on('error', (error) => (output += `${error.message}\n`))
  const pid = child.pid
  if (pid === undefined) {
    await rm(sandboxDir, { recursive: true, force: true })
    throw new Error(`Could not spawn ${process.execPath} for vite preview.`)
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const running = () => child.exitCode === null && child.signalCode === null
  const close = async () => {
    if (running()) child.kill('SIGTERM')
    await exited
    await rm(sandboxDir, { recursive: true, force: true })
  }

  const deadline = Date.now() + START_TIMEOUT_MS
  while (running() && Date.now() < deadline) {
    // The proxy's own route: it answers once the server and the proxy plugin are both up.
    if (await responds(`${url}/tpns/config`)) return { url, pid, output: () => output, close }
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
  const why = running() ? `did not start within ${START_TIMEOUT_MS / 1000} s` : 'exited'
  await close()
  throw new Error(`vite preview on ${url} ${why}:\n${output}`)
}

async function responds(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok
  } catch {
    return false
  }
}
