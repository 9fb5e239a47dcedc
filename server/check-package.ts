import type { Verdict } from '../src/core/problem-codes.ts'
import { reportOf, validatePackage } from '../src/core/validate-package.ts'

export interface PackageCheck {
  verdict: Verdict
  /** Package problem codes, then the row codes that occur at least once. */
  codes: string[]
}

/**
 * Judges a received package with the browser engine's own rules, so the sandbox refuses
 * exactly what the page would flag. TPNS takes token and account packages at the same
 * endpoint (the kind is chosen at push time): a package whose rows are mostly not
 * token-shaped is judged by the account rules, anything else by the token rules.
 */
export async function checkPackage(name: string, bytes: Uint8Array): Promise<PackageCheck> {
  let report = reportOf(await validatePackage({ name, bytes, kind: 'token' }))
  const notTokenShaped = report.counts.length + report.counts.charset
  if (report.problems.length === 0 && notTokenShaped * 2 > report.rows) {
    report = reportOf(await validatePackage({ name, bytes, kind: 'account' }))
  }
  const rowCodes = Object.entries(report.counts)
    .filter(([, count]) => count > 0)
    .map(([code]) => code)
  return { verdict: report.verdict, codes: [...report.problems.map((p) => p.code), ...rowCodes] }
}
