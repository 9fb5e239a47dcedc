import { MAX_PACKAGE_BYTES } from '../../core/problem-codes.ts'

/** The memory made ready ahead: enough for the largest package TPNS takes. */
export const WARM_BYTES = MAX_PACKAGE_BYTES

const PAGE_BYTES = 4096
/** Touched between chances for a read request to come in. */
const SLICE_BYTES = 8 * 1024 * 1024

/** Lets a touch in progress be stopped: a file to read comes first. */
export interface Touching {
  stopped: boolean
}

/**
 * Touches every page of the memory, a slice per task, so the operating system maps it now
 * rather than while a file is read into it. On the machine measured, new memory costs
 * ~3.3 ms/MB on first touch: 100 MB read into touched memory saved ~150 ms of the check.
 * The touch adds 0 atomically, so it never changes a byte whoever else writes there.
 */
export async function touchPages(
  memory: SharedArrayBuffer | ArrayBuffer,
  touching: Touching,
): Promise<void> {
  const words = new Int32Array(memory, 0, Math.floor(memory.byteLength / 4))
  const step = PAGE_BYTES / 4
  const slice = SLICE_BYTES / 4
  for (let from = 0; from < words.length; from += slice) {
    // A turn first, every time: not even one slice runs before a waiting request (the package
    // worker starts touching while its module loads, and a fresh one gets its file at once).
    await new Promise((resolve) => setTimeout(resolve, 0))
    if (touching.stopped) return
    const to = Math.min(words.length, from + slice)
    for (let word = from; word < to; word += step) Atomics.or(words, word, 0)
  }
}

/**
 * Whether to hold WARM_BYTES ready while the page waits for a file. Not on a device that says
 * it has little memory (Chromium's navigator.deviceMemory, in GB, is at most 8).
 */
export function roomForWarmMemory(): boolean {
  const navigator = globalThis.navigator
  if (navigator === undefined || !('deviceMemory' in navigator)) return true
  return Number(navigator.deviceMemory) >= 4
}

/** Memory to hold ready, made by `allocate`; null on a small device or where it cannot be had. */
export function allocateWarmMemory<T extends ArrayBufferLike>(allocate: () => T): T | null {
  if (!roomForWarmMemory()) return null
  try {
    return allocate()
  } catch {
    return null
  }
}

/**
 * Whether a file gets the memory made ready for one of WARM_BYTES: it must fit, and be large
 * enough to gain from it (a small file would hold all of it for nothing).
 */
export function fitsWarmMemory(size: number): boolean {
  return size <= WARM_BYTES && size > WARM_BYTES / 4
}
