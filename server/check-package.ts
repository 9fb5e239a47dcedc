import type { Verdict } from '../src/core/problem-codes.ts'
import { reportOf, validatePackage } from '../src/core/validate-package.ts'

export interface PackageCheck {
  verdict: Verdict
  /** Package problem codes, then the row codes that occur at least once. */
  codes: string[]
}

/**
 * Judges a received package with the browser engine's own rules, so the sandbox refuses
 * exactly what the page would flag. Token packages only: the sandbox cannot know the kind.
 */
export async function checkPackage(name: string, bytes: Uint8Array): Promise<PackageCheck> {
  const report = reportOf(await validatePackage({ name, bytes, kind: 'token' }))
  const rowCodes = Object.entries(report.counts)
    .filter(([, count]) => count > 0)
    .map(([code]) => code)
  return { verdict: report.verdict, codes: [...report.problems.map((p) => p.code), ...rowCodes] }
}
