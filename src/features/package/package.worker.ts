/// <reference lib="webworker" />
import { expose } from 'comlink'
import { classifyRows } from '../../core/classify-rows.ts'
import type { PackageKind } from '../../core/problem-codes.ts'
import { rowFullText, rowValue } from '../../core/row-store.ts'
import { reportOf, validatePackage, type PackageState } from '../../core/validate-package.ts'
import type { PackageWorkerApi, ReadProgress, RowView } from './package-worker-api.ts'
import { readFileBytes } from './read-file-bytes.ts'

// The worker's one package; the page replaces the whole worker to cancel or to start over.
let current: PackageState | null = null

function requireState(): PackageState {
  if (!current) throw new Error('No package is open.')
  return current
}

const api: PackageWorkerApi = {
  async open(file, kind, onProgress) {
    current = null
    const bytes = await readFileBytes(file, (done, total) =>
      onProgress({ phase: 'reading', done, total }),
    )
    const state = await validatePackage(
      { name: file.name, bytes, kind },
      {
        onProgress: (phase, done, total) =>
          onProgress({ phase, done, total } satisfies ReadProgress),
      },
    )
    current = state
    return reportOf(state)
  },

  async setKind(kind: PackageKind) {
    const state = requireState()
    const classification = classifyRows(state.store, { kind, csv: state.format === 'csv' })
    current = { ...state, kind, classification }
    return reportOf(current)
  },

  readRows(from, count) {
    const state = requireState()
    const { store, classification } = state
    const end = Math.min(store.count, from + count)
    const rows: RowView[] = []
    for (let index = Math.max(0, from); index < end; index++) {
      const value = rowValue(store, index)
      const full =
        store.fullLength && store.fullLength[index] !== store.length[index]
          ? rowFullText(store, index)
          : null
      rows.push({ index, line: store.line[index], value, full, codes: classification.codes[index] })
    }
    return rows
  },
}

expose(api)
