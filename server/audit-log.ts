import type { RegionId } from '../src/shared/access-points.ts'

/** One upload through the proxy, as CONTRACT.md's audit line has it. */
export interface AuditRecord {
  event: 'upload'
  time: string
  user: string | null
  app: string | null
  region: RegionId
  accessId: string | null
  file: string | null
  bytes: number
  retCode: number | null
  uploadId: number | null
}

export type AuditSink = (record: AuditRecord) => void

/**
 * One JSON line per upload on standard output (the server's other messages go to standard
 * error, so stdout is the audit trail alone). JSON.stringify escapes every value, so a file
 * or user name cannot break a line or forge another; the record has no field for a secret.
 */
export const auditToStdout: AuditSink = (record) => {
  process.stdout.write(`${JSON.stringify(record)}\n`)
}
