import { isRegionId, type RegionId } from '../../shared/access-points.ts'
import { rememberedChoice } from '../../shared/remembered-choice.ts'

// Only the region is remembered across visits; never the AccessID or the key.
const lastRegion = rememberedChoice('tpns.region', isRegionId)

export const rememberedRegion = lastRegion.read
export const rememberRegion = lastRegion.write

/**
 * The access point to show first: the sandbox when the server holds no credentials (a first
 * try needs no account), else the one used last, else the first the server serves.
 */
export function initialRegion(
  config: { regions: readonly RegionId[]; defaultRegion: RegionId | null },
  remembered: RegionId | null,
): RegionId {
  if (config.defaultRegion !== null && config.regions.includes(config.defaultRegion)) {
    return config.defaultRegion
  }
  if (remembered !== null && config.regions.includes(remembered)) return remembered
  return config.regions.find((region) => region !== 'sandbox') ?? config.regions[0]
}
