import { describe, expect, it } from 'vitest'
import {
  emptySelection,
  isSelected,
  selectAll,
  selectedCount,
  selectedIndices,
  selectionFor,
  setRows,
  toggleRow,
} from './row-selection.ts'

describe('row selection', () => {
  it('toggles single rows', () => {
    let selection = toggleRow(emptySelection(1), 4)
    selection = toggleRow(selection, 9)
    expect(isSelected(selection, 4)).toBe(true)
    expect(selectedCount(selection, 100)).toBe(2)
    selection = toggleRow(selection, 4)
    expect(isSelected(selection, 4)).toBe(false)
    expect(selectedCount(selection, 100)).toBe(1)
  })

  it('selects all, then leaves some out', async () => {
    let selection = selectAll(3)
    expect(selectedCount(selection, 5)).toBe(5)
    selection = toggleRow(selection, 2)
    selection = setRows(selection, [3], false)
    expect(isSelected(selection, 2)).toBe(false)
    expect(selectedCount(selection, 5)).toBe(3)
    expect(await selectedIndices(selection, async () => [0, 1, 2, 3, 4])).toEqual([0, 1, 4])
  })

  it('selects ranges whatever was selected before', async () => {
    let selection = setRows(emptySelection(1), [5, 6, 7], true)
    selection = setRows(selection, [6], true)
    expect(await selectedIndices(selection, async () => [])).toEqual([5, 6, 7])
  })

  it('is cleared when the package version changes', () => {
    const selection = toggleRow(emptySelection(1), 4)
    expect(selectionFor(selection, 1)).toBe(selection)
    expect(selectedCount(selectionFor(selection, 2), 10)).toBe(0)
  })
})
