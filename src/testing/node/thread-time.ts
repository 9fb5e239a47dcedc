import { readFileSync } from 'node:fs'

/**
 * CPU time the process's main thread, the one serving requests, has used so far, in ms, from
 * Linux's schedstat. process.cpuUsage() counts every thread; the difference ran elsewhere
 * (workers, libuv's pool). Time spent waiting for a CPU on a busy machine counts in neither.
 */
export function mainThreadCpuMs(): number {
  const [onCpuNs] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')
  return Number(onCpuNs) / 1e6
}

/** CPU time of all the process's threads so far, in ms. */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
