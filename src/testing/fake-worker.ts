import { expose } from 'comlink'
import type { PackageWorkerApi } from '../features/package/package-worker-api.ts'

/**
 * A stand-in for a module Worker in unit tests. With an `api`, it answers as the package
 * worker does: through Comlink, over a real MessageChannel, so answers and proxied
 * callbacks travel on ports of their own, as in a browser. Without one it takes messages and
 * never answers (a hung or still-loading worker). `crash()` fires `error` as a worker that
 * fails to load or throws at the top does.
 */
export class FakeWorker extends EventTarget {
  terminated = false
  /** Every message posted to the worker, in order. */
  readonly received: unknown[] = []
  private readonly port: MessagePort | null

  constructor(api?: Partial<PackageWorkerApi>) {
    super()
    if (api === undefined) {
      this.port = null
      return
    }
    const channel = new MessageChannel()
    expose(api, channel.port2)
    this.port = channel.port1
    this.port.addEventListener('message', (event) => {
      if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data: event.data }))
    })
    this.port.start()
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (this.terminated) return
    this.received.push(message)
    this.port?.postMessage(message, transfer)
  }

  terminate(): void {
    this.terminated = true
    this.port?.close()
  }

  crash(message = ''): void {
    // Node has no ErrorEvent: an Event with the message a browser's would carry.
    const event = new Event('error', { cancelable: true })
    Object.defineProperty(event, 'message', { value: message })
    this.dispatchEvent(event)
  }

  /** As the page sees it: a Worker (only what Comlink and the client use of one). */
  asWorker(): Worker {
    // @ts-expect-error: a structural stand-in; the client uses postMessage, terminate and events.
    return this
  }
}
