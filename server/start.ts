import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startProductionServer } from './production-server.ts'
import type { ServerLog } from './proxy-upload.ts'
import { exposureProblem, readListenEnv, readServerEnv } from './server-env.ts'

// `npm start`'s entry, built to dist-server/start.js beside the app's dist/.

// Standard error for the server's own messages: standard output carries the audit log alone.
const log: ServerLog = {
  info: (message) => process.stderr.write(`${new Date().toISOString()} ${message}\n`),
  warn: (message) => process.stderr.write(`${new Date().toISOString()} warning: ${message}\n`),
}

/** Uploads in flight get this long to finish after SIGTERM. */
const GRACE_MS = 30_000

/** The server started, or the one-line reason it cannot start and exit code 1. */
async function start() {
  try {
    const env = readServerEnv(process.env)
    const { host, port } = readListenEnv(process.env)
    const problem = exposureProblem(env, host)
    if (problem !== null) throw new Error(problem)
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
    // A missing users file, a port in use or no built app: said in one line, like a bad variable.
    return { env, server: await startProductionServer({ env, root, host, port, log }) }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  }
}

async function main(): Promise<void> {
  const { env, server } = await start()
  const mode =
    env.apps.length > 0
      ? `${env.apps.length} apps`
      : env.credentials
        ? 'server credentials'
        : 'browser credentials'
  log.info(`tpns server: ${server.url} (${mode}; sandbox ${env.sandbox ? 'on' : 'off'})`)

  const stop = (signal: string) => {
    log.info(`tpns server: ${signal}, no new connections; waiting for uploads in flight`)
    void server.shutdown(GRACE_MS).then(({ left }) => {
      if (left > 0)
        log.warn(
          `tpns server: ${left} uploads still running after ${GRACE_MS / 1000} s were cut off`,
        )
      log.info('tpns server: stopped')
      process.exit(0)
    })
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
}

await main()
