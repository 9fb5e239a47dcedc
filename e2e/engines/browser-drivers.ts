import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { Readable } from 'node:stream'
import { chromium } from '@playwright/test'
import puppeteer from 'puppeteer-core'
import type { Client } from 'webdriver'
import { z } from 'zod'
import { freePort } from '../../src/testing/node/free-port.ts'
import { chromiumArgs, findChromium } from '../find-chromium.ts'

/**
 * What a scenario needs of a browser page, whatever drives it: the same flows run in
 * Chromium (Playwright), Firefox (puppeteer-core over WebDriver BiDi) and WebKit (classic
 * WebDriver), through the page hooks in ../shared/CONTRACT.md.
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

export const ENGINES = ['chromium', 'firefox', 'webkit'] as const
export type Engine = (typeof ENGINES)[number]

const INPUT = '[data-testid=drop-zone] input[type=file]'

export function startDriver(engine: Engine): Promise<Driver> {
  switch (engine) {
    case 'chromium':
      return startChromium()
    case 'firefox':
      return startFirefox()
    case 'webkit':
      return startWebKit()
  }
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

/**
 * Debian's WebKitGTK MiniBrowser (libwebkit2gtk-4.1-0, which webkit2gtk-driver pulls in). It
 * has no headless mode, so it gets an Xvfb display of its own.
 */
export const MINIBROWSER_PATH =
  process.env.MINIBROWSER_PATH ??
  `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/webkit2gtk-4.1/MiniBrowser`

/**
 * WebKitWebDriver has no log API, so the page collects its own errors, hooked in by open()
 * once the page has loaded: an error raised while it loads is not seen here (Chromium and
 * Firefox see those). Resource errors are caught in the capture phase, as the other engines
 * report a failed load as a console error.
 */
const INSTALL_ERROR_HOOKS = `
if (!window.__stressErrors) {
  const errors = (window.__stressErrors = [])
  const text = (value) => {
    if (value instanceof Error) return value.name + ': ' + value.message
    if (typeof value === 'string') return value
    try { return JSON.stringify(value) } catch { return String(value) }
  }
  const original = console.error
  console.error = function (...args) {
    errors.push(args.map(text).join(' '))
    return original.apply(this, args)
  }
  window.addEventListener('error', (event) => errors.push(event.error || event.message
    ? text(event.error ?? event.message)
    : 'Failed to load ' + (event.target?.src || event.target?.href || event.target?.tagName)), true)
  window.addEventListener('unhandledrejection', (event) => errors.push('Unhandled rejection: ' + text(event.reason)))
}`

/** What every script brings back: its value, and the page's errors so far. */
const withErrors = z.object({ value: z.unknown().optional(), errors: z.array(z.string()) })
/** W3C WebDriver's key for an element reference. */
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf'
const elementReference = z.object({ [ELEMENT_KEY]: z.string() })

const WEBKIT_TIMEOUT_MS = 30_000

async function startWebKit(): Promise<Driver> {
  const missing = [
    ...['WebKitWebDriver', 'Xvfb'].filter((command) => !onPath(command)),
    ...(existsSync(MINIBROWSER_PATH) ? [] : [MINIBROWSER_PATH]),
  ]
  if (missing.length > 0)
    throw new Error(
      `No ${missing.join(', ')}. Install them (Debian/Ubuntu: \`sudo apt-get install ` +
        'webkit2gtk-driver xvfb`), or set MINIBROWSER_PATH to a WebKitGTK MiniBrowser.',
    )
  const groups: ProcessGroup[] = []
  // Each group leads a session of its own, out of reach of the terminal's Ctrl-C: end them
  // when this process exits or is stopped, or an X server and a browser stay behind. SIGTERM,
  // which they all obey at once, so that Xvfb also removes its socket and lock file.
  const reap = () => groups.forEach((group) => group.signal('SIGTERM'))
  const stopped = (signal: NodeJS.Signals) => {
    reap()
    process.kill(process.pid, signal)
  }
  process.on('exit', reap)
  process.once('SIGINT', stopped)
  process.once('SIGTERM', stopped)
  const close = async () => {
    // The browser before its display. If a group does not end, the exit hook stays armed.
    for (const group of [...groups].reverse()) await group.end()
    process.off('exit', reap)
    process.off('SIGINT', stopped)
    process.off('SIGTERM', stopped)
  }

  // The wdio loggers read WDIO_LOG_LEVEL when their module loads (the logLevel option reaches
  // only one of them): set first, the run prints its own lines only. WDIO_LOG_LEVEL=info
  // shows them.
  process.env.WDIO_LOG_LEVEL ??= 'silent'
  const { default: WebDriver } = await import('webdriver')
  let client: Client
  try {
    const xvfb = startGroup(
      'Xvfb',
      ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
      {},
      ['pipe'],
    )
    groups.push(xvfb)
    const display = await displayOf(xvfb)
    const port = await freePort()
    // MiniBrowser and its WebKit processes are the driver's children: in its group.
    const driver = startGroup('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
      DISPLAY: display,
    })
    groups.push(driver)
    await untilAnswers(`http://127.0.0.1:${port}/status`, driver)
    // WebKitGTK's own capability is not in @wdio/types: typed here, beside the known ones.
    const capabilities: WebdriverIO.Capabilities & {
      'webkitgtk:browserOptions': { binary: string; args: string[] }
    } = {
      browserName: 'MiniBrowser',
      // Classic WebDriver, as tested; otherwise the client also asks for a BiDi session.
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
    }
    client = await WebDriver.newSession({
      hostname: '127.0.0.1',
      port,
      path: '/',
      // The default re-sends a failed command up to 3 times: a drop or a script would run again.
      connectionRetryCount: 0,
      connectionRetryTimeout: 60_000,
      capabilities,
    })
    await client.setTimeouts(0, WEBKIT_TIMEOUT_MS, WEBKIT_TIMEOUT_MS)
  } catch (error) {
    await close()
    throw error
  }

  return {
    engine: 'webkit',
    // One window for the whole run: a page is a fresh load in it, a new document, heap and
    // worker, as a new tab gives; storage is shared, as in Firefox's one profile.
    async newPage() {
      let errors: string[] = []
      const run = async (script: string) => {
        // The newline keeps a trailing `//` comment in `script` from eating the bracket.
        const answer = withErrors.parse(
          await client.executeScript(
            `return Promise.resolve((${script}\n)).then((value) => ` +
              '({ value, errors: window.__stressErrors ?? [] }))',
            [],
          ),
        )
        errors = answer.errors
        return answer.value
      }
      return {
        async open(url) {
          await client.navigateTo(url)
          const deadline = Date.now() + WEBKIT_TIMEOUT_MS
          while ((await client.findElements('css selector', INPUT)).length === 0) {
            if (Date.now() > deadline) throw new Error(`No ${INPUT} on ${url}.`)
            await sleep(20)
          }
          await client.executeScript(INSTALL_ERROR_HOOKS, [])
          errors = []
        },
        async drop(path) {
          // The client hands back a missing element as an error object rather than throwing.
          const input = elementReference.parse(await client.findElement('css selector', INPUT))
          // Send Keys on a file input sets its file, even on this visually hidden one.
          await client.elementSendKeys(input[ELEMENT_KEY], path)
        },
        evaluate: run,
        // As of the last evaluate(): the list lives in the page and comes back with each script.
        errors: () => errors,
        close: () => client.navigateTo('about:blank'),
      }
    },
    async close() {
      try {
        // Closes MiniBrowser; ending the driver's group alone would leave it to the X server.
        await client.deleteSession()
      } finally {
        await close()
      }
    },
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, command)))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A child that leads a process group of its own, so that all it starts ends with it. */
interface ProcessGroup {
  child: ChildProcess
  /** The last of what it printed, for failure messages. */
  output(): string
  signal(signal: NodeJS.Signals): void
  /** SIGTERM to the whole group, SIGKILL if it lingers; resolves once none of it is left. */
  end(): Promise<void>
}

function startGroup(
  command: string,
  args: string[],
  env: Record<string, string>,
  extraFds: 'pipe'[] = [],
): ProcessGroup {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...extraFds],
    detached: true,
  })
  let output = ''
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000))
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  child.on('error', (error) => (output += `${error.message}\n`))
  const pgid = child.pid
  if (pgid === undefined) throw new Error(`Could not start ${command}.`)
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name)
    } catch {
      // ESRCH: the group is gone already.
    }
  }
  const emptied = async (withinMs: number) => {
    const deadline = Date.now() + withinMs
    while (groupMembers(pgid).length > 0) {
      if (Date.now() > deadline) return false
      await sleep(50)
    }
    return true
  }
  return {
    child,
    output: () => output,
    signal,
    async end() {
      signal('SIGTERM')
      if (await emptied(5_000)) return
      signal('SIGKILL')
      if (await emptied(2_000)) return
      throw new Error(`${command}: processes ${groupMembers(pgid).join(', ')} did not end.`)
    },
  }
}

/** Live processes of a process group, read from /proc (Linux only, as WebKitGTK here). */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        // After the command name: state, ppid, pgrp, …; a zombie is over, only not yet reaped.
        const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        return Number(group) === pgid && state !== 'Z'
      } catch {
        return false // it ended while we looked
      }
    })
    .map(Number)
}

/** The display Xvfb chose (-displayfd 3): it writes the number once it accepts clients. */
function displayOf(xvfb: ProcessGroup): Promise<string> {
  const fd = xvfb.child.stdio[3]
  if (!(fd instanceof Readable)) return Promise.reject(new Error('Xvfb has no display pipe.'))
  return new Promise((resolve, reject) => {
    let text = ''
    fd.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      if (text.includes('\n')) resolve(`:${text.trim()}`)
    })
    xvfb.child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${xvfb.output()}`)))
    setTimeout(() => reject(new Error(`Xvfb did not start: ${xvfb.output()}`)), 10_000).unref()
  })
}

async function untilAnswers(url: string, server: ProcessGroup): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    if (server.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`${url} did not answer: ${server.output()}`)
    await sleep(25)
  }
}
