import { countsWith } from '../core/test-fixtures.ts'
import type { PackageSnapshot } from '../features/package/package-worker-api.ts'

/** A snapshot of a ready package of `rows` valid rows, as the package worker sends one. */
export function readySnapshot(fileName: string, rows = 1): PackageSnapshot {
  return {
    report: {
      fileName,
      kind: 'token',
      format: 'txt',
      container: 'plain',
      entryName: null,
      size: 37 * rows,
      rows,
      valid: rows,
      counts: countsWith({}),
      problems: [],
      verdict: 'ready',
      columns: null,
      sources: [
        {
          name: fileName,
          size: 37 * rows,
          rows,
          valid: rows,
          encoding: 'UTF-8',
          column: null,
          problems: [],
        },
      ],
      exclusions: [],
    },
    fixes: [],
    canUndo: false,
    canRedo: false,
    applied: [],
    parts: [],
    viewCount: rows,
    suggestedKind: null,
    changesSinceRead: 0,
  }
}
