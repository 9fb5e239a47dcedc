import type { TpnsApp } from '../../shared/tpns-shapes.ts'

// The app chosen last, by id: the server's list may change, so it is looked up again.
const STORAGE_KEY = 'tpns.app'

export function rememberedApp(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

export function rememberApp(id: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, id)
  } catch {
    // Not remembered; nothing else depends on it.
  }
}

/** The app to show first: the chosen one, else the one used last, else the first listed. */
export function chosenApp(
  apps: readonly TpnsApp[],
  chosen: string | null,
  remembered: string | null,
): TpnsApp | null {
  return (
    apps.find((app) => app.id === chosen) ??
    apps.find((app) => app.id === remembered) ??
    apps[0] ??
    null
  )
}
