import type { PackageKind } from '../../core/problem-codes.ts'
import type { PackageReport } from '../../core/validate-package.ts'

export type ReadPhase = 'reading' | 'inflating' | 'scanning'

export interface ReadProgress {
  phase: ReadPhase
  done: number
  total: number
}

/** One row as the page shows it. */
export interface RowView {
  index: number
  line: number
  value: string
  /** The whole CSV row when it has more columns than the value; else null. */
  full: string | null
  codes: number
}

/** What the package worker offers the page (through Comlink). */
export interface PackageWorkerApi {
  open(
    file: File,
    kind: PackageKind,
    onProgress: (progress: ReadProgress) => void,
  ): Promise<PackageReport>
  setKind(kind: PackageKind): Promise<PackageReport>
  readRows(from: number, count: number): RowView[]
}
