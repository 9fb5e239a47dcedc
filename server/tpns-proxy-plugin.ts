import type { Plugin, ViteDevServer } from 'vite'
import { exposureProblem, readServerEnv, type EnvSource } from './server-env.ts'
import { createTpnsServerParts } from './tpns-handler.ts'

export interface TpnsProxyOptions {
  /** Where the TPNS_* variables come from; process.env unless a test says otherwise. */
  env?: EnvSource
}

/**
 * `npm run dev`: the same handler as the production server (proxy, sign-in, config, sandbox),
 * mounted in Vite's dev server.
 */
export function tpnsProxyPlugin(options: TpnsProxyOptions = {}): Plugin {
  const mount = async (server: ViteDevServer) => {
    const env = readServerEnv(options.env ?? process.env)
    const { host: configured } = server.config.server
    const host = configured === true ? '0.0.0.0' : configured || 'localhost'
    const problem = exposureProblem(env, host)
    if (problem !== null) throw new Error(problem)
    const parts = await createTpnsServerParts(env, { log: server.config.logger })
    server.httpServer?.once('close', () => void parts.close())
    server.middlewares.use(parts.handler)
  }
  return {
    name: 'tpns:proxy',
    // The page and its API share one origin. Vite's default CORS would answer OPTIONS on the
    // proxy route itself (204, before any plugin middleware) and let other localhost origins
    // read /tpns/config; nothing here needs cross-origin access.
    config: () => ({ server: { cors: false } }),
    configureServer: mount,
  }
}
