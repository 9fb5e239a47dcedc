import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { securityHeadersPlugin } from './server/security-headers.ts'
import { tpnsProxyPlugin } from './server/tpns-proxy-plugin.ts'

const port = Number(process.env.PORT ?? 4173)
const host = process.env.HOST ?? '127.0.0.1'

export default defineConfig({
  plugins: [react(), securityHeadersPlugin(), tpnsProxyPlugin()],
  worker: { format: 'es' },
  server: { port, host },
  preview: { port, host },
  build: { target: 'es2022', sourcemap: true },
})
