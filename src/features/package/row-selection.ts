/**
 * Rows picked in the list, by row index, for the version of the package they were picked in.
 * `all` selects every row of the view; `toggled` then holds the exceptions (and otherwise the
 * picks), so "select all" over millions of rows costs nothing until the rows are deleted.
 */
export interface RowSelection {
  version: number
  all: boolean
  toggled: ReadonlySet<number>
}

export function emptySelection(version: number): RowSelection {
  return { version, all: false, toggled: new Set() }
}

/** The selection as it stands for `version`: empty once the package has changed. */
export function selectionFor(selection: RowSelection, version: number): RowSelection {
  return selection.version === version ? selection : emptySelection(version)
}

export function isSelected(selection: RowSelection, index: number): boolean {
  return selection.all !== selection.toggled.has(index)
}

export function selectedCount(selection: RowSelection, viewCount: number): number {
  return selection.all ? viewCount - selection.toggled.size : selection.toggled.size
}

export function toggleRow(selection: RowSelection, index: number): RowSelection {
  const toggled = new Set(selection.toggled)
  if (!toggled.delete(index)) toggled.add(index)
  return { ...selection, toggled }
}

/** Sets every one of `indices` to `selected`. */
export function setRows(
  selection: RowSelection,
  indices: Iterable<number>,
  selected: boolean,
): RowSelection {
  const toggled = new Set(selection.toggled)
  // A row is selected when `all` differs from its toggle.
  const mark = selected !== selection.all
  for (const index of indices) {
    if (mark) toggled.add(index)
    else toggled.delete(index)
  }
  return { ...selection, toggled }
}

export function selectAll(version: number): RowSelection {
  return { version, all: true, toggled: new Set() }
}

/**
 * The selected indices in ascending order. `viewIndices` lists the view's rows; it is only
 * called when every row of the view is selected, to subtract the exceptions.
 */
export async function selectedIndices(
  selection: RowSelection,
  viewIndices: () => Promise<Iterable<number>>,
): Promise<number[]> {
  if (!selection.all) return [...selection.toggled].sort((a, b) => a - b)
  const rows: number[] = []
  for (const index of await viewIndices()) if (!selection.toggled.has(index)) rows.push(index)
  return rows
}
