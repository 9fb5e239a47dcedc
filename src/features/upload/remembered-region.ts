import { isRegionId, type RegionId } from '../../shared/access-points.ts'

// Only the region is remembered across visits; never the AccessID or the key.
const STORAGE_KEY = 'tpns.region'

export function rememberedRegion(): RegionId | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return value !== null && isRegionId(value) ? value : null
  } catch {
    return null
  }
}

export function rememberRegion(region: RegionId): void {
  try {
    localStorage.setItem(STORAGE_KEY, region)
  } catch {
    // Not remembered; nothing else depends on it.
  }
}

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
