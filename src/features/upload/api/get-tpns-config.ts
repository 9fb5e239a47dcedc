import { queryOptions, useQuery } from '@tanstack/react-query'
import { z } from 'zod'
import { isRegionId, type RegionId } from '../../../shared/access-points.ts'

const regionIdSchema = z.custom<RegionId>(
  (value) => typeof value === 'string' && isRegionId(value),
  'unknown access point',
)

/** GET /tpns/config: whether the server holds the credentials, and which regions it serves. */
export const tpnsConfigSchema = z.object({
  serverCredentials: z.boolean(),
  accessId: z.string().nullable(),
  regions: z.array(regionIdSchema).min(1),
  defaultRegion: z.literal('sandbox').nullable(),
})
export type TpnsConfig = z.infer<typeof tpnsConfigSchema>

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
