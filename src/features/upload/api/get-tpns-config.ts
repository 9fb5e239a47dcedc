import { queryOptions, useQuery } from '@tanstack/react-query'
import { tpnsConfigSchema, type TpnsConfig } from '../../../shared/tpns-shapes.ts'

export async function getTpnsConfig({
  signal,
}: { signal?: AbortSignal } = {}): Promise<TpnsConfig> {
  const response = await fetch('/tpns/config', { signal, headers: { Accept: 'application/json' } })
  if (!response.ok) throw new Error(`GET /tpns/config answered HTTP ${response.status}`)
  return tpnsConfigSchema.parse(await response.json())
}

export const tpnsConfigQueryOptions = () =>
  queryOptions({
    queryKey: ['tpns-config'],
    queryFn: getTpnsConfig,
    // The server reads its environment once at start-up; it does not change under the page.
    staleTime: Infinity,
    retry: 1,
  })

export function useTpnsConfig() {
  return useQuery(tpnsConfigQueryOptions())
}
