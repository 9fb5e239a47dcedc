/** Uploads in flight: a cap on how many at once, and a way to wait for them all to end. */
export interface UploadSlots {
  /** Takes a slot, or returns null when all are taken or the server is draining. */
  take(): (() => void) | null
  readonly inFlight: number
  /** Takes no more; resolves once every upload in flight has ended, or after `ms`. */
  drain(ms: number): Promise<{ left: number }>
}

export function createUploadSlots(max: number): UploadSlots {
  let inFlight = 0
  let draining = false
  let onIdle: (() => void) | null = null
  return {
    take() {
      if (draining || inFlight >= max) return null
      inFlight++
      let given = true
      return () => {
        if (!given) return
        given = false
        inFlight--
        if (inFlight === 0) onIdle?.()
      }
    },
    get inFlight() {
      return inFlight
    },
    drain(ms) {
      draining = true
      if (inFlight === 0) return Promise.resolve({ left: 0 })
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ left: inFlight }), ms)
        onIdle = () => {
          clearTimeout(timer)
          resolve({ left: 0 })
        }
      })
    },
  }
}
