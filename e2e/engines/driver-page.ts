export const ENGINES = ['chromium', 'firefox', 'webkit'] as const
export type Engine = (typeof ENGINES)[number]

/** CONTRACT.md: the drop zone's input takes the package. */
export const FILE_INPUT = '[data-testid=drop-zone] input[type=file]'

/** The page's file inputs: the drop zone's, "Add another list" and the exclusion zone's. */
export const FILE_INPUTS = {
  drop: FILE_INPUT,
  addSource: '[data-testid=add-source] + input[type=file]',
  exclude: '[data-testid=exclude-zone] input[type=file]',
} as const

export type FileInput = keyof typeof FILE_INPUTS

/** A file as the browser saved it. */
export interface DownloadedFile {
  name: string
  bytes: Buffer
}

/**
 * What a flow needs of a browser page, whatever drives it: the same flows run in Chromium
 * (Playwright), Firefox (puppeteer-core over WebDriver BiDi) and WebKit (classic WebDriver),
 * through the page hooks in ../shared/CONTRACT.md. Each page comes with storage of its own
 * (a fresh context or profile), so a history or a language chosen in one flow is not in the
 * next. Reading the page (attributes, text, waiting) is done once for all drivers, through
 * `evaluate` (e2e/flows/page-hooks.ts).
 */
export interface DriverPage {
  /** Loads the URL and waits until the drop zone's input is there. */
  open(url: string): Promise<void>
  /** Loads the page again, as the reload button does, and waits as open() does. */
  reload(): Promise<void>
  /**
   * Sets a file input (the drop zone's, unless another is named) to this file on disk, as the
   * file picker does.
   */
  setFile(path: string, input?: FileInput): Promise<void>
  /** Clicks the element as a user does: scrolled into view, a real click on it. */
  click(selector: string): Promise<void>
  /** Types `text` into the input in place of what it holds. */
  fill(selector: string, text: string): Promise<void>
  /** Evaluates `script` (an expression, as source text) in the page; its JSON-safe value. */
  evaluate(script: string): Promise<unknown>
  /** Clicks the element and returns the file the browser saves from it. */
  download(selector: string): Promise<DownloadedFile>
  /** Console errors, uncaught exceptions and unhandled rejections, over every load so far. */
  errors(): Promise<string[]>
  close(): Promise<void>
}

export interface Driver {
  engine: Engine
  /** A page in a fresh context: storage of its own. */
  newPage(): Promise<DriverPage>
  close(): Promise<void>
}
