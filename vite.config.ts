import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { securityHeadersPlugin } from './server/security-headers.ts'
import { tpnsProxyPlugin } from './server/tpns-proxy-plugin.ts'

const port = Number(process.env.PORT ?? 4173)
const host = process.env.HOST ?? '127.0.0.1'

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [react(), securityHeadersPlugin(), tpnsProxyPlugin()],
  worker: { format: 'es' },
  // `npm run dev`; `npm start` is the production server (server/start.ts), built by
  // `vite build --ssr` into dist-server/ beside the app's dist/.
  server: { port, host },
  build: isSsrBuild
    ? {
        target: 'node20',
        outDir: 'dist-server',
        emptyOutDir: true,
        copyPublicDir: false,
        sourcemap: true,
        // The sandbox checks each package in a worker thread, loaded from beside the server.
        rollupOptions: {
          input: { start: 'server/start.ts', 'check-worker': 'server/check-worker.ts' },
          output: { entryFileNames: '[name].js' },
        },
      }
    : { target: 'es2022', sourcemap: true },
}))
