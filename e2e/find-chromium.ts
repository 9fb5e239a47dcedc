import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'

/** Chromium flags that keep a headless run quiet on a machine with no outside network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-gpu',
  '--no-first-run',
]

/**
 * Finds a Chromium without ever downloading one: Playwright's own build if installed,
 * else CHROMIUM_PATH, else the system's /usr/bin/chromium.
 */
export function findChromium(): string | undefined {
  const own = safeExecutablePath()
  if (own && existsSync(own)) return undefined
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  const found = candidates.find((path): path is string => Boolean(path && existsSync(path)))
  if (found) return found
  throw new Error(
    'No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`), ' +
      "or set CHROMIUM_PATH to a Chromium binary, or install Playwright's own with " +
      '`npx playwright install chromium` where the network allows it.',
  )
}

function safeExecutablePath(): string | undefined {
  try {
    return chromium.executablePath()
  } catch {
    return undefined
  }
}
