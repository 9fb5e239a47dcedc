import { readdirSync, readlinkSync, realpathSync } from 'node:fs'
import { join, sep } from 'node:path'

/**
 * Files under `dir` that this process holds open, from Linux's /proc/self/fd: what a leaked
 * file handle leaves behind, whichever thread opened it. (getActiveResourcesInfo() does not
 * list open FileHandles.)
 */
export function openFilesUnder(dir: string): string[] {
  const root = realpathSync(dir) + sep
  const open: string[] = []
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(join('/proc/self/fd', fd))
      if (target.startsWith(root)) open.push(target)
    } catch {
      // Closed while we looked (the readdir's own descriptor, for one).
    }
  }
  return open
}
