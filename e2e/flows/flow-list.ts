import { audienceLists } from './audience-lists.ts'
import { cancelLargeRead } from './cancel-read.ts'
import { fixAllAndDownload } from './clean-downloads.ts'
import { dropGbkCsv, dropMacZip, dropText, dropUtf16 } from './drop-packages.ts'
import type { Flow } from './flow.ts'
import { readPaths } from './read-paths.ts'
import { uploadToSandbox } from './sandbox-upload.ts'

/** The flows every engine runs: Chromium under Playwright, Firefox and WebKit in run-engines.ts. */
export const FLOWS: Flow[] = [
  dropText,
  dropMacZip,
  dropUtf16,
  dropGbkCsv,
  fixAllAndDownload,
  uploadToSandbox,
  cancelLargeRead,
  readPaths,
  audienceLists,
]
