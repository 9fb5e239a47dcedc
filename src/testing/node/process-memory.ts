import { readFileSync, writeFileSync } from 'node:fs'

/** A process's resident memory now and at its peak, in KiB (Linux /proc). */
export interface ProcessMemory {
  rssKb: number
  peakKb: number
}

/** The memory of process `pid`, or null where /proc cannot tell it. */
export function processMemory(pid: number): ProcessMemory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
    const memory = { rssKb: field('VmRSS'), peakKb: field('VmHWM') }
    return Number.isFinite(memory.rssKb) && Number.isFinite(memory.peakKb) ? memory : null
  } catch {
    return null
  }
}

/** Sets the process's peak RSS to its current RSS (Linux ≥ 4.0); false where that fails. */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}
