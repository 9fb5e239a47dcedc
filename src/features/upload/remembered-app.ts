import { rememberedChoice } from '../../shared/remembered-choice.ts'
import type { TpnsApp } from '../../shared/tpns-shapes.ts'

// The app chosen last, by id: the server's list may change, so it is looked up again.
const lastApp = rememberedChoice('tpns.app', (value): value is string => value !== '')

export const rememberedApp = lastApp.read
export const rememberApp = lastApp.write

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
