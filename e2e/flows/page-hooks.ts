import { z } from 'zod'
import { en, type MessageKey } from '../../src/shared/i18n/en.ts'
import { zh } from '../../src/shared/i18n/zh.ts'
import type { DownloadedFile, DriverPage } from '../engines/driver-page.ts'

// The page read through CONTRACT.md's hooks, once for every driver: each read is a script
// evaluated in the page (source text, not a function: tsx wraps named inner functions in a
// helper the page does not have, and WebDriver takes text anyway).

/** Generous: a 2-core machine runs several browsers and builds at once. */
export const WAIT_MS = 30_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const query = (selector: string) => `document.querySelector(${JSON.stringify(selector)})`

/** What the page shows, for failure messages: the report's state and its problems. */
const SHOWN = `(() => {
  const report = document.querySelector('[data-testid=report]')
  const ids = [...document.querySelectorAll('[data-testid^=count-], [data-testid^=problem-]')]
    .map((element) => element.dataset.testid + (element.dataset.testid.startsWith('count-') ? '=' + element.textContent : ''))
  return (report ? 'report ' + report.dataset.state + ' ' + (report.dataset.verdict ?? '') : 'no report') +
    (ids.length ? ': ' + ids.join(', ') : '') + '; ' + document.body.innerText.slice(0, 300).replace(/\\s+/g, ' ')
})()`

/** Evaluates `script` until it gives a truthy value, and returns that value. */
export async function waitFor(
  page: DriverPage,
  what: string,
  script: string,
  timeoutMs = WAIT_MS,
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await page.evaluate(script)
    if (value) return value
    if (Date.now() > deadline)
      throw new Error(
        `Waited ${timeoutMs} ms for ${what}; the page shows ${String(await page.evaluate(SHOWN))}`,
      )
    await sleep(50)
  }
}

export async function exists(page: DriverPage, selector: string): Promise<boolean> {
  return z.boolean().parse(await page.evaluate(`${query(selector)} !== null`))
}

export async function waitForSelector(page: DriverPage, selector: string, timeoutMs = WAIT_MS) {
  await waitFor(page, selector, `${query(selector)} !== null`, timeoutMs)
}

export async function waitForGone(page: DriverPage, selector: string, timeoutMs = WAIT_MS) {
  await waitFor(page, `no ${selector}`, `${query(selector)} === null`, timeoutMs)
}

/** The attribute's value; null when the element or the attribute is missing. */
export async function attribute(
  page: DriverPage,
  selector: string,
  name: string,
): Promise<string | null> {
  const script = `${query(selector)}?.getAttribute(${JSON.stringify(name)}) ?? null`
  return z
    .string()
    .nullable()
    .parse(await page.evaluate(script))
}

/** The element's text as shown; null when it is missing. */
export async function text(page: DriverPage, selector: string): Promise<string | null> {
  return z
    .string()
    .nullable()
    .parse(await page.evaluate(`${query(selector)}?.textContent ?? null`))
}

/** A form control's current value. */
export async function value(page: DriverPage, selector: string): Promise<string | null> {
  return z
    .string()
    .nullable()
    .parse(await page.evaluate(`${query(selector)}?.value ?? null`))
}

/**
 * Waits for the element and for it to take clicks (not disabled): Playwright's clicks wait
 * so, puppeteer's and WebDriver's do not.
 */
async function waitForEnabled(page: DriverPage, selector: string) {
  const script = `(() => { const element = ${query(selector)}; return element !== null && !element.disabled })()`
  await waitFor(page, `${selector} enabled`, script)
}

export async function clickWhenEnabled(page: DriverPage, selector: string) {
  await waitForEnabled(page, selector)
  await page.click(selector)
}

/** Clicks the (enabled) element, and returns the file the browser saves from it. */
export async function downloadWhenEnabled(
  page: DriverPage,
  selector: string,
): Promise<DownloadedFile> {
  await waitForEnabled(page, selector)
  return page.download(selector)
}

/**
 * Every count the report shows, by name (`rows`, `valid`, each row code): CONTRACT.md's
 * `count-*` hooks, digits only (the page groups thousands). A count not shown is 0, and is
 * not in the result, so comparing with `{ rows, valid }` also says nothing else is counted.
 */
export async function counts(page: DriverPage): Promise<Record<string, number>> {
  const shown = z.array(z.tuple([z.string(), z.string()])).parse(
    await page.evaluate(`[...document.querySelectorAll('[data-testid^=count-]')]
      .map((element) => [element.dataset.testid.slice('count-'.length), element.textContent])`),
  )
  return Object.fromEntries(
    shown.map(([name, digits]) => [name, Number(digits.replace(/\D/g, ''))]),
  )
}

const REPORT_DONE = '[data-testid=report][data-state=done]'

/** Sets the file input to `path`, waits for its report and returns the verdict. */
export async function drop(page: DriverPage, path: string, timeoutMs = WAIT_MS): Promise<string> {
  await page.setFile(path)
  return verdict(page, timeoutMs)
}

/** Waits until the report is done; its verdict. */
export async function verdict(page: DriverPage, timeoutMs = WAIT_MS): Promise<string> {
  const script = `${query(REPORT_DONE)}?.dataset.verdict`
  return z.string().parse(await waitFor(page, 'the report', script, timeoutMs))
}

/** Waits until the report is done and its verdict is `expected`. */
export async function waitForVerdict(page: DriverPage, expected: string) {
  await waitForSelector(page, `${REPORT_DONE}[data-verdict=${expected}]`)
}

/** The language the page speaks (its `lang`): the browser's, unless one was chosen. */
export async function language(page: DriverPage): Promise<'en' | 'zh'> {
  const lang = z.string().parse(await page.evaluate('document.documentElement.lang'))
  return lang.startsWith('zh') ? 'zh' : 'en'
}

/** A message in the language the page speaks, from the app's own tables. */
export async function message(page: DriverPage, key: MessageKey): Promise<string> {
  return ((await language(page)) === 'zh' ? zh : en)[key]
}
