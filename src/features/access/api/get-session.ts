import { queryOptions, useQuery } from '@tanstack/react-query'
import { sessionSchema, type SessionInfo } from '../../../shared/tpns-shapes.ts'

/** GET /auth/session: answered with or without a session, so the page knows what to show. */
export async function getSession({ signal }: { signal?: AbortSignal } = {}): Promise<SessionInfo> {
  const response = await fetch('/auth/session', { signal, headers: { Accept: 'application/json' } })
  if (!response.ok) throw new Error(`GET /auth/session answered HTTP ${response.status}`)
  return sessionSchema.parse(await response.json())
}

export const sessionQueryOptions = () =>
  queryOptions({ queryKey: ['session'], queryFn: getSession, retry: 1 })

export function useSession() {
  return useQuery(sessionQueryOptions())
}
