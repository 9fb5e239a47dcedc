import type { DriverPage, Engine } from '../engines/driver-page.ts'

/** What a flow is given: a fresh page (storage of its own) and where the app is served. */
export interface FlowContext {
  engine: Engine
  page: DriverPage
  /** The app as served: cross-origin isolated (COOP and COEP). */
  url: string
  /** The same app behind a proxy that drops COOP and COEP, as a careless reverse proxy does. */
  urlWithoutIsolation: string
  /** Writes a file for the page to take, into a folder removed after the run; its path. */
  file(name: string, bytes: Uint8Array | string): Promise<string>
  /** A line for the run's log: what the engine did where engines differ. */
  note(line: string): void
}

/**
 * One thing a marketer does, end to end, through the page hooks in ../shared/CONTRACT.md. The
 * same list runs in Chromium (e2e/flows.spec.ts, under the Playwright test runner) and in
 * Firefox and WebKit (e2e/engines/run-engines.ts): never a copy per engine.
 */
export interface Flow {
  name: string
  run(context: FlowContext): Promise<void>
}

/** Runs a flow; it fails on any console error, uncaught exception or unhandled rejection. */
export async function runFlow(flow: Flow, context: FlowContext): Promise<void> {
  try {
    await flow.run(context)
  } catch (error) {
    // What the page logged often says why: added to the failure, whatever its kind.
    const errors = await context.page.errors().catch(() => [])
    if (error instanceof Error && errors.length > 0)
      error.message += `\nThe page's errors: ${errors.join(' | ')}`
    throw error
  }
  const errors = await context.page.errors()
  if (errors.length > 0)
    throw new Error(`The page had ${errors.length} error(s): ${errors.join(' | ')}`)
}
