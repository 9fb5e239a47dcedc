import type { Action, AvailableFix } from '../../core/package-session.ts'
import type { PackageKind } from '../../core/problem-codes.ts'
import type { RowFilter } from '../../core/row-view.ts'
import type { PackageReport, ReadChoices } from '../../core/validate-package.ts'

/** The actions the page can send as they are: the rest carry what a read made. */
export type SerializableAction = Exclude<Action, { type: 'add-source' } | { type: 'exclude' }>

export type ReadPhase = 'reading' | 'inflating' | 'scanning'

export interface ReadProgress {
  phase: ReadPhase
  done: number
  total: number
}

/** One row as the page shows it. */
export interface RowView {
  /** Position in the current view. */
  position: number
  /** Index among the package's current rows (what edits and deletes name). */
  index: number
  /** Line in its file. */
  line: number
  /** The file the row came from, in a package of several files; else null. */
  source: string | null
  value: string
  /** The whole CSV row when it has more columns than the value; else null. */
  full: string | null
  codes: number
}

export interface CleanPart {
  name: string
  rows: number
  bytes: number
}

/** Everything the page shows about the package after each step. */
export interface PackageSnapshot {
  report: PackageReport
  fixes: AvailableFix[]
  canUndo: boolean
  canRedo: boolean
  /** Labels of the fixes and edits that made the package as it is now. */
  applied: string[]
  /** The clean package: one part, or several when it is over the size limit. */
  parts: CleanPart[]
  /** Rows in the current view. */
  viewCount: number
  /** The other kind, when most rows look like it (kind-hint.ts). */
  suggestedKind: PackageKind | null
  /** Fixes and edits since the files were read: a change of kind reads them again without. */
  changesSinceRead: number
}

export interface CleanFile {
  name: string
  file: Blob
  rows: number
  bytes: number
  /** Bytes of the clean text it holds: `bytes` itself unless zipped. */
  textBytes: number
  /** Hex SHA-256 of the file's bytes. */
  sha256: string
}

/**
 * A file another worker is reading into shared memory, for the package worker to check as it
 * comes: `port` tells how much is in (ReadMessage).
 */
export interface SharedRead {
  bytes: SharedArrayBuffer
  port: MessagePort
}

/** What the page asks of the file-reader worker: read a file into `bytes`. */
export interface SharedReadRequest extends SharedRead {
  file: Blob
}

export type ReadMessage = { filled: number } | { done: true } | { failed: string }

/** What the package worker offers the page (through Comlink). */
export interface PackageWorkerApi {
  /** Reads and checks a package; `shared` when another worker reads it (else this one does). */
  open(
    file: File,
    kind: PackageKind,
    onProgress: (progress: ReadProgress) => void,
    shared: SharedRead | null,
    /** What the user chose about reading the file (encoding, token column); guessed if not. */
    choices?: ReadChoices,
  ): Promise<PackageSnapshot>
  /** Reads another file and adds its rows after the package's own. */
  addSource(file: File, choices?: ReadChoices): Promise<PackageSnapshot>
  /** Reads a list of values to leave out of the package. */
  exclude(file: File): Promise<PackageSnapshot>
  /** Changes the package; adding a file or a list goes through addSource and exclude. */
  perform(action: SerializableAction): PackageSnapshot
  undo(): PackageSnapshot
  redo(): PackageSnapshot
  setView(filter: RowFilter): PackageSnapshot
  readRows(from: number, count: number): RowView[]
  /** Next or previous position in the view whose row has a problem; -1 if none. */
  findProblem(from: number, direction: 1 | -1): number
  /** The clean package, each part as a file ready to download or upload. */
  cleanFiles(options: { zip: boolean }): Promise<CleanFile[]>
  problemReport(): Blob
}
