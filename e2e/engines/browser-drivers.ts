import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { Readable } from 'node:stream'
import { chromium } from '@playwright/test'
import puppeteer from 'puppeteer-core'
import type { Client } from 'webdriver'
import { z } from 'zod'
import { freePort } from '../../src/testing/node/free-port.ts'
import { chromiumArgs, findChromium } from '../find-chromium.ts'
import {
  FILE_INPUT,
  FILE_INPUTS,
  type Driver,
  type DriverPage,
  type Engine,
} from './driver-page.ts'
import { playwrightPage } from './playwright-page.ts'

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
      const context = await browser.newContext()
      return playwrightPage(await context.newPage(), () => context.close())
    },
    close: () => browser.close(),
  }
}

/** Debian's firefox-esr, headless; geckodriver is not needed for WebDriver BiDi. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'

const DOWNLOAD_TIMEOUT_MS = 30_000

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
      // A user context is a profile of its own (storage, cookies); it saves downloads, as a
      // user's browser would, into a folder of its own (BiDi browser.setDownloadBehavior).
      const downloads = await mkdtemp(join(tmpdir(), 'tpns-firefox-downloads-'))
      const removeDownloads = () => rm(downloads, { recursive: true, force: true })
      const context = await browser
        .createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath: downloads } })
        .catch(async (error: unknown) => {
          await removeDownloads()
          throw error
        })
      const page = await context
        .newPage()
        .then(async (page) => {
          await page.evaluateOnNewDocument(NOTE_DOWNLOAD_NAMES)
          return page
        })
        .catch(async (error: unknown) => {
          await context.close()
          await removeDownloads()
          throw error
        })
      const errors: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text())
      })
      page.on('pageerror', (error) => errors.push(String(error)))
      const ready = () => page.waitForSelector(FILE_INPUT)
      return {
        async open(url) {
          await page.goto(url)
          await ready()
        },
        async reload() {
          await page.reload()
          await ready()
        },
        async setFile(path, input = 'drop') {
          const element = await page.$(FILE_INPUTS[input])
          if (element === null) throw new Error(`No ${FILE_INPUTS[input]} on the page.`)
          await element.uploadFile(path)
        },
        click: (selector) => page.click(selector),
        fill: (selector, text) => page.locator(selector).fill(text),
        evaluate: (script) => page.evaluate(script),
        async download(selector) {
          await page.evaluate('window.__flowDownloadName = null')
          await page.click(selector)
          const name = z
            .string()
            .parse(
              await page
                .waitForFunction('window.__flowDownloadName')
                .then((handle) => handle.jsonValue()),
            )
          return { name, bytes: await savedFile(downloads, name) }
        },
        errors: async () => [...errors],
        async close() {
          try {
            await context.close()
          } finally {
            await removeDownloads()
          }
        },
      }
    },
    close: () => browser.close(),
  }
}

/**
 * Notes the name of each download link the page clicks, and lets the browser save it: where
 * Firefox saves under a temporary name first, the folder alone does not say which is final.
 */
const NOTE_DOWNLOAD_NAMES = `window.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[download]') : null
  if (link) window.__flowDownloadName = link.download
}, true)`

/**
 * The file a download saved as `name` into the folder `dir`, which held nothing before, once
 * it is complete: Firefox writes under a temporary name, then a `.part` file, and moves it in
 * place at the end. Taken out of the folder, so the next download of that name keeps it.
 */
async function savedFile(dir: string, name: string): Promise<Buffer> {
  const path = join(dir, name)
  const deadline = Date.now() + DOWNLOAD_TIMEOUT_MS
  let size = -1
  for (;;) {
    const names = await readdir(dir)
    // Complete when it is all the folder holds and its size held still for a poll.
    const now = names.length === 1 && names[0] === name ? (await stat(path)).size : -1
    if (now >= 0 && now === size) {
      const bytes = await readFile(path)
      await rm(path)
      return bytes
    }
    size = now
    if (Date.now() > deadline)
      throw new Error(
        `${name} was not saved within ${DOWNLOAD_TIMEOUT_MS} ms; the folder holds: ${names.join(', ')}`,
      )
    await sleep(150)
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
 * WebKitWebDriver has no log API and no script that runs before the page's own, so the page
 * gets hooks of its own once it has loaded (an error raised while it loads is not seen here;
 * Chromium and Firefox see those):
 * - errors: console.error, uncaught exceptions, unhandled rejections, and resources that
 *   fail to load (caught in the capture phase, as the other engines log them as errors);
 * - downloads: MiniBrowser would ask where to save, so a click on a download link is kept
 *   from saving, and the Blob behind the link's object URL is read instead: the very bytes
 *   and name the browser would save. (The page's CSP allows no fetch of a blob: URL, so the
 *   Blob is taken where the URL is made.)
 */
const INSTALL_PAGE_HOOKS = `
if (!window.__flowHooks) {
  const hooks = (window.__flowHooks = { errors: [], downloads: [] })
  const errors = hooks.errors
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

  const blobs = new Map()
  const createObjectURL = URL.createObjectURL
  URL.createObjectURL = function (object) {
    const url = createObjectURL.call(URL, object)
    if (object instanceof Blob) blobs.set(url, object)
    return url
  }
  window.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[download]') : null
    if (!link) return
    event.preventDefault()
    const saved = { name: link.download, base64: null, error: null }
    hooks.downloads.push(saved)
    const blob = blobs.get(link.href)
    if (!blob) {
      saved.error = 'not an object URL made on this page: ' + link.href
      return
    }
    const reader = new FileReader()
    reader.onload = () => (saved.base64 = String(reader.result).replace(/^[^,]*,/, ''))
    reader.onerror = () => (saved.error = text(reader.error))
    reader.readAsDataURL(blob)
  }, true)
}`

/** What every script brings back: its value, and the page's errors and downloads so far. */
const withHooks = z.object({
  value: z.unknown().optional(),
  errors: z.array(z.string()),
  downloads: z.array(
    z.object({ name: z.string(), base64: z.string().nullable(), error: z.string().nullable() }),
  ),
})
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
  const endGroups = async () => {
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
  let port: number
  try {
    // -noreset: by default X resets itself when its last client leaves, which is every time a
    // page's MiniBrowser quits; the next one, connecting meanwhile, found no display and died,
    // and WebKitWebDriver waited for it for ever (about one session start in a dozen).
    const xvfb = startGroup(
      'Xvfb',
      ['-displayfd', '3', '-noreset', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
      {},
      ['pipe'],
    )
    groups.push(xvfb)
    const display = await displayOf(xvfb)
    port = await freePort()
    // MiniBrowser and its WebKit processes are the driver's children: in its group.
    const driver = startGroup('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
      DISPLAY: display,
    })
    groups.push(driver)
    await untilAnswers(`http://127.0.0.1:${port}/status`, driver)
  } catch (error) {
    await endGroups()
    throw error
  }

  const sessions = new Set<Client>()
  /**
   * A session is a MiniBrowser of its own, and MiniBrowser under automation keeps its data in
   * memory only: a fresh profile per page, for ~0.4 s.
   */
  const newSession = async () => {
    // WebKitGTK's own capability is not in @wdio/types: typed here, beside the known ones.
    const capabilities: WebdriverIO.Capabilities & {
      'webkitgtk:browserOptions': { binary: string; args: string[] }
    } = {
      browserName: 'MiniBrowser',
      // Classic WebDriver, as tested; otherwise the client also asks for a BiDi session.
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
    }
    const client = await WebDriver.newSession({
      hostname: '127.0.0.1',
      port,
      path: '/',
      // The default re-sends a failed command up to 3 times: a drop or a script would run again.
      connectionRetryCount: 0,
      connectionRetryTimeout: 60_000,
      capabilities,
    })
    sessions.add(client)
    await client.setTimeouts(0, WEBKIT_TIMEOUT_MS, WEBKIT_TIMEOUT_MS)
    return client
  }
  const endSession = async (client: Client) => {
    if (!sessions.delete(client)) return
    // Closes MiniBrowser; ending the driver's group alone would leave it to the X server.
    await client.deleteSession()
  }

  return {
    engine: 'webkit',
    async newPage() {
      return webKitPage(await newSession(), endSession)
    },
    async close() {
      try {
        for (const client of [...sessions]) await endSession(client)
      } finally {
        await endGroups()
      }
    },
  }
}

function webKitPage(client: Client, end: (client: Client) => Promise<void>): DriverPage {
  /** Errors of the documents loaded before this one. */
  const earlier: string[] = []
  let hooks: z.infer<typeof withHooks> = { errors: [], downloads: [] }
  const run = async (script: string) => {
    // The newline keeps a trailing `//` comment in `script` from eating the bracket.
    hooks = withHooks.parse(
      await client.executeScript(
        `return Promise.resolve((${script}\n)).then((value) => ({ value, ` +
          'errors: window.__flowHooks?.errors ?? [], downloads: window.__flowHooks?.downloads ?? [] }))',
        [],
      ),
    )
    return hooks.value
  }
  /** Before the document goes: keep its errors. */
  const leave = async () => {
    await run('null')
    earlier.push(...hooks.errors)
    hooks = { errors: [], downloads: [] }
  }
  const ready = async () => {
    const deadline = Date.now() + WEBKIT_TIMEOUT_MS
    while ((await client.findElements('css selector', FILE_INPUT)).length === 0) {
      if (Date.now() > deadline) throw new Error(`No ${FILE_INPUT} on ${await client.getUrl()}.`)
      await sleep(20)
    }
    await client.executeScript(INSTALL_PAGE_HOOKS, [])
  }
  const element = async (selector: string) => {
    // The client hands back a missing element as an error object rather than throwing.
    const found = elementReference.safeParse(await client.findElement('css selector', selector))
    if (!found.success) throw new Error(`No ${selector} on the page.`)
    return found.data[ELEMENT_KEY]
  }
  const click = async (selector: string) => {
    await client.elementClick(await element(selector))
  }
  return {
    async open(url) {
      await leave()
      await client.navigateTo(url)
      await ready()
    },
    async reload() {
      await leave()
      await client.refresh()
      await ready()
    },
    async setFile(path, input = 'drop') {
      // Send Keys on a file input sets its file, even on a visually hidden one.
      await client.elementSendKeys(await element(FILE_INPUTS[input]), path)
    },
    click,
    async fill(selector, text) {
      const id = await element(selector)
      await client.elementClear(id)
      await client.elementSendKeys(id, text)
    },
    evaluate: run,
    async download(selector) {
      await run('null')
      const before = hooks.downloads.length
      await click(selector)
      const deadline = Date.now() + DOWNLOAD_TIMEOUT_MS
      for (;;) {
        await run('null')
        const saved = hooks.downloads[before]
        if (saved?.error) throw new Error(`The download could not be read: ${saved.error}`)
        if (saved?.base64 != null)
          return { name: saved.name, bytes: Buffer.from(saved.base64, 'base64') }
        if (Date.now() > deadline)
          throw new Error(`${selector} started no download within ${DOWNLOAD_TIMEOUT_MS} ms.`)
        await sleep(50)
      }
    },
    async errors() {
      await run('null')
      return [...earlier, ...hooks.errors]
    },
    close: () => end(client),
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
