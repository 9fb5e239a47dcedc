import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './free-port.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
/** `npm start`'s server, as `npm run build` leaves it. */
export const SERVER_ENTRY = join(ROOT, 'dist-server', 'start.js')
const START_TIMEOUT_MS = 30_000

export interface RunningServer {
  url: string
  /** The server's own process (node), for reading its memory and sending it signals. */
  pid: number
  /** Standard output so far: the audit log, one JSON line per upload. */
  stdout(): string
  /** Everything the server printed, for failure messages. */
  output(): string
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>
  close(): Promise<void>
}

/**
 * The production server (`node dist-server/start.js`, as `npm start` runs it after its build)
 * on a free port of 127.0.0.1, its sandbox in a fresh temporary folder, with this process's
 * environment less any TPNS_* (they would change the mode) plus `env`.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build\` first.`)
  }
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const sandboxDir = await mkdtemp(join(tmpdir(), 'tpns-server-'))
  const child = spawnServer({ PORT: String(port), TPNS_SANDBOX_DIR: sandboxDir, ...env })
  const pid = child.pid
  if (pid === undefined) {
    await rm(sandboxDir, { recursive: true, force: true })
    throw new Error(`Could not spawn ${process.execPath} for the server.`)
  }
  const running = () => child.exitCode === null && child.signalCode === null
  const close = async () => {
    if (running()) child.kill('SIGTERM')
    await child.exited
    await rm(sandboxDir, { recursive: true, force: true })
  }

  const deadline = Date.now() + START_TIMEOUT_MS
  while (running() && Date.now() < deadline) {
    if (await responds(`${url}/healthz`)) {
      return {
        url,
        pid,
        stdout: child.stdout,
        output: child.output,
        exited: child.exited,
        close,
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
  const why = running() ? `did not start within ${START_TIMEOUT_MS / 1000} s` : 'exited'
  await close()
  throw new Error(`The server on ${url} ${why}:\n${child.output()}`)
}

/**
 * Spawns the server and collects what it prints, without waiting for it to listen: for a
 * start that must fail. HOST defaults to 127.0.0.1.
 */
export function spawnServer(env: Record<string, string>) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TPNS_')),
  )
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: ROOT,
    env: { ...inherited, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.on('error', (error) => (output += `${error.message}\n`))
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  )
  return {
    pid: child.pid,
    get exitCode() {
      return child.exitCode
    },
    get signalCode() {
      return child.signalCode
    },
    kill: (signal: NodeJS.Signals) => child.kill(signal),
    stdout: () => stdout,
    output: () => output,
    exited,
  }
}

async function responds(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok
  } catch {
    return false
  }
}
