// The old names of app-server.ts's starter, kept while e2e/engines/run-stress.ts and
// bench/run-bench.ts (another engineer's) still import them. It starts the production server,
// not `vite preview`: delete this file once those two import startServer.
export { startServer as startPreview, type RunningServer as PreviewServer } from './app-server.ts'
