import { proxyErrorSchema } from '../../shared/tpns-shapes.ts'

/** What one POST /auth/login came to, for the form to say. */
export type SignInOutcome =
  | { ok: true }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'limited'; minutes: number }
  | { ok: false; reason: 'busy' }
  | { ok: false; reason: 'other'; message: string }

/** Reads the server's answer to a sign-in: status, Retry-After and the JSON body's text. */
export function signInOutcome(
  status: number,
  retryAfter: string | null,
  body: string,
): SignInOutcome {
  if (status === 204 || status === 200) return { ok: true }
  if (status === 401) return { ok: false, reason: 'wrong' }
  if (status === 429) {
    const seconds = Number(retryAfter)
    const minutes = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds / 60) : 15
    return { ok: false, reason: 'limited', minutes }
  }
  if (status === 503) return { ok: false, reason: 'busy' }
  let message = `HTTP ${status}`
  try {
    const fault = proxyErrorSchema.safeParse(JSON.parse(body))
    if (fault.success) message = fault.data.message
  } catch {
    // Not JSON: the status says enough.
  }
  return { ok: false, reason: 'other', message }
}
