import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'
import puppeteer from 'puppeteer-core'
import { chromiumArgs, findChromium } from '../find-chromium.ts'

/**
 * What a scenario needs of a browser page, whatever drives it: the same flows run in
 * Chromium (Playwright) and Firefox (puppeteer-core over WebDriver BiDi), through the page
 * hooks in ../shared/CONTRACT.md.
 */
export interface DriverPage {
  /** Loads the URL and waits until the drop zone's input is there. */
  open(url: string): Promise<void>
  /** Sets the drop zone's file input to this file on disk. */
  drop(path: string): Promise<void>
  /** Evaluates `script` (an expression, as source text) in the page; its JSON-safe value. */
  evaluate(script: string): Promise<unknown>
  /** Console errors and uncaught exceptions the page has had. */
  errors(): string[]
  close(): Promise<void>
}

export interface Driver {
  engine: Engine
  newPage(): Promise<DriverPage>
  close(): Promise<void>
}

export const ENGINES = ['chromium', 'firefox'] as const
export type Engine = (typeof ENGINES)[number]

const INPUT = '[data-testid=drop-zone] input[type=file]'

export function startDriver(engine: Engine): Promise<Driver> {
  return engine === 'chromium' ? startChromium() : startFirefox()
}

async function startChromium(): Promise<Driver> {
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs })
  return {
    engine: 'chromium',
    async newPage() {
      const page = await browser.newPage()
      const errors: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text())
      })
      page.on('pageerror', (error) => errors.push(error.message))
      return {
        async open(url) {
          await page.goto(url)
          await page.waitForSelector(INPUT, { state: 'attached' })
        },
        drop: (path) => page.setInputFiles(INPUT, path),
        evaluate: (script) => page.evaluate(script),
        errors: () => errors,
        close: () => page.close(),
      }
    },
    close: () => browser.close(),
  }
}

/** Debian's firefox-esr, headless; geckodriver is not needed for WebDriver BiDi. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'

async function startFirefox(): Promise<Driver> {
  if (!existsSync(FIREFOX_PATH))
    throw new Error(
      `No Firefox at ${FIREFOX_PATH}. Install one (Debian/Ubuntu: \`sudo apt-get install firefox-esr\`), ` +
        'or set FIREFOX_PATH to a Firefox binary.',
    )
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
  })
  return {
    engine: 'firefox',
    async newPage() {
      const page = await browser.newPage()
      const errors: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text())
      })
      page.on('pageerror', (error) => errors.push(String(error)))
      return {
        async open(url) {
          await page.goto(url)
          await page.waitForSelector(INPUT)
        },
        async drop(path) {
          const input = await page.$(INPUT)
          if (input === null) throw new Error('No file input on the page.')
          await input.uploadFile(path)
        },
        evaluate: (script) => page.evaluate(script),
        errors: () => errors,
        close: () => page.close(),
      }
    },
    close: () => browser.close(),
  }
}
