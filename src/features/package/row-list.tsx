import {
  useCallback,
  useEffect,
  useId,
  useReducer,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
  type MouseEvent,
} from 'react'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import type { PackageSnapshot } from './package-worker-api.ts'
import { createRowCache } from './row-cache.ts'
import { NO_EDIT, nextEditState } from './row-edit.ts'
import { RowItem } from './row-item.tsx'
import { commandForKey } from './row-list-keys.ts'
import './row-list.css'
import { RowListToolbar, maskOf, type RowFilterChoice } from './row-list-toolbar.tsx'
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
import { usePackageClient } from './use-package.ts'
import { useRowWindow } from './use-row-window.ts'

/** Rows rendered beyond those in sight, on each side. */
const OVERSCAN = 8
/** Rows fetched beyond those rendered, on each side, so a slow scroll never waits. */
const FETCH_AHEAD = 48
/** Rows read per message when a range or the whole view is gathered to select or delete. */
const INDEX_CHUNK = 20_000
const SEARCH_DELAY_MS = 250

interface RowListProps {
  snapshot: PackageSnapshot
  /** Increments after every change of the package or the view. */
  version: number
  /** True while the worker is applying a step. */
  busy: boolean
}

/**
 * Every row of the package's current view, virtualized, with filter, search, problem
 * navigation, in-place edits and deletes. Rows come from the worker a window at a time.
 */
export function RowList({ snapshot, version, busy }: RowListProps) {
  const { t } = useI18n()
  const client = usePackageClient()
  const id = useId()
  const count = snapshot.viewCount
  const {
    attach,
    onScroll,
    space,
    start,
    end,
    top,
    pageRows,
    firstVisible,
    element,
    reveal,
    scrollToOffset,
  } = useRowWindow(count, OVERSCAN)

  const [cache] = useState(() => createRowCache((from, size) => client.readRows(from, size)))
  useSyncExternalStore(cache.subscribe, cache.revision)
  useEffect(() => {
    cache.request(version, start - FETCH_AHEAD, end + FETCH_AHEAD)
  }, [cache, version, start, end])

  const [filter, setFilter] = useState<RowFilterChoice>('all')
  const [query, setQuery] = useState('')
  const [search, setSearch] = useState('')
  const [wantedActive, setActive] = useState<number | null>(null)
  const active = wantedActive === null || count === 0 ? null : Math.min(wantedActive, count - 1)
  const [edit, dispatchEdit] = useReducer(nextEditState, NO_EDIT)
  // An edit belongs to the version it began in: a fix applied meanwhile ends it unsaved.
  const editing = edit.editing?.version === version ? edit.editing : null
  const [storedSelection, setSelection] = useState(() => emptySelection(version))
  const selection = selectionFor(storedSelection, version)
  const selected = selectedCount(selection, count)
  const [anchor, setAnchor] = useState<{ version: number; position: number } | null>(null)
  const [notice, setNotice] = useState('')

  const fail = useCallback(
    (error: unknown) =>
      setNotice(
        t('rows.failed', { message: error instanceof Error ? error.message : String(error) }),
      ),
    [t],
  )

  const applyView = useCallback(
    (nextFilter: RowFilterChoice, nextSearch: string) => {
      setFilter(nextFilter)
      setSearch(nextSearch)
      setActive(null)
      dispatchEdit({ type: 'cancel' })
      setNotice('')
      scrollToOffset(0)
      client.setView({ mask: maskOf(nextFilter), search: nextSearch }).catch(fail)
    },
    [client, fail, scrollToOffset],
  )

  useEffect(() => {
    if (query === search) return
    const timer = setTimeout(() => applyView(filter, query), SEARCH_DELAY_MS)
    return () => clearTimeout(timer)
  }, [query, search, filter, applyView])

  /** The row at a position when it is fetched for this version (safe to act on). */
  const freshRow = (position: number) => {
    const cached = cache.get(version, position)
    return cached?.fresh ? cached.row : null
  }

  const moveTo = (position: number) => {
    if (count === 0) return
    const next = Math.min(Math.max(0, position), count - 1)
    setActive(next)
    setNotice('')
    reveal(next)
  }

  const goToProblem = async (direction: 1 | -1) => {
    if (count === 0) return
    const from = active ?? (direction === 1 ? -1 : count)
    try {
      const found = await client.findProblem(from, direction)
      if (found < 0) {
        setNotice(t(direction === 1 ? 'rows.no-next' : 'rows.no-prev'))
      } else {
        setActive(found)
        setNotice('')
        reveal(found)
      }
    } catch (error) {
      fail(error)
    }
  }

  /** Row indices for view positions [from, to), read from the worker unless the view is all rows. */
  const indicesBetween = async (from: number, to: number): Promise<number[]> => {
    if (filter === 'all' && search === '') {
      return Array.from({ length: to - from }, (_, offset) => from + offset)
    }
    const indices: number[] = []
    for (let position = from; position < to; position += INDEX_CHUNK) {
      const part = await client.readRows(position, Math.min(INDEX_CHUNK, to - position))
      for (const row of part) indices.push(row.index)
    }
    return indices
  }

  /** True while the package is still at `at`: gathered indices are still the right rows. */
  const stillAt = (at: number) => {
    const status = client.getStatus()
    return status.state === 'done' && status.version === at && !status.busy
  }

  const toggle = (position: number) => {
    const row = freshRow(position)
    if (!row) return
    setSelection((current) => toggleRow(selectionFor(current, version), row.index))
    setAnchor({ version, position })
  }

  const selectRange = async (to: number) => {
    const from = anchor?.version === version ? anchor.position : (active ?? to)
    const at = version
    try {
      const indices = await indicesBetween(Math.min(from, to), Math.max(from, to) + 1)
      if (!stillAt(at)) return
      setSelection((current) => setRows(selectionFor(current, at), indices, true))
    } catch (error) {
      fail(error)
    }
  }

  const deleteRows = (indices: number[]) => {
    if (indices.length === 0) return
    setNotice('')
    client.perform({ type: 'delete', rows: indices }).catch(fail)
  }

  const deleteAt = (position: number) => {
    const row = freshRow(position)
    if (row && !busy) deleteRows([row.index])
  }

  const deleteSelected = async () => {
    if (busy || selected === 0) return
    const at = version
    try {
      const indices = await selectedIndices(selection, () => indicesBetween(0, count))
      if (stillAt(at)) deleteRows(indices)
    } catch (error) {
      fail(error)
    }
  }

  const startEdit = (position: number) => {
    const row = freshRow(position)
    if (!row || busy) return
    setActive(position)
    dispatchEdit({ type: 'start', version, position, index: row.index, value: row.value })
  }

  // Kept edits go to the package as soon as they are kept, one step each (each undoable).
  useEffect(() => {
    if (edit.kept.length === 0) return
    dispatchEdit({ type: 'sent', count: edit.kept.length })
    for (const { row, value } of edit.kept) client.perform({ type: 'edit', row, value }).catch(fail)
  }, [edit.kept, client, fail])

  // A row scrolled out of the rendered window takes its edit box with it: keep the edit.
  useEffect(() => {
    if (editing !== null && (editing.position < start || editing.position >= end))
      dispatchEdit({ type: 'keep' })
  }, [editing, start, end])

  const leaveEdit = (how: 'keep' | 'cancel') => {
    dispatchEdit({ type: how })
    element?.focus()
  }

  const onDraft = useCallback((draft: string) => dispatchEdit({ type: 'draft', draft }), [])
  // Tab, or a click anywhere else: the edit is kept, as a spreadsheet keeps a cell.
  const onDraftBlur = useCallback(() => dispatchEdit({ type: 'keep' }), [])

  const onSectionKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'F8' || event.altKey || event.ctrlKey || event.metaKey) return
    event.preventDefault()
    void goToProblem(event.shiftKey ? -1 : 1)
  }

  const onGridKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target instanceof HTMLElement && event.target.classList.contains('row__input')) {
      // The edit box keeps every key for itself except these two.
      if (event.key === 'Enter') leaveEdit('keep')
      else if (event.key === 'Escape') leaveEdit('cancel')
      else return event.stopPropagation()
      event.preventDefault()
      return event.stopPropagation()
    }
    const command = commandForKey(
      {
        key: event.key,
        shift: event.shiftKey,
        command: event.ctrlKey || event.metaKey,
        alt: event.altKey,
      },
      { active, firstVisible, count, pageRows, selected },
    )
    if (command === null) return
    event.preventDefault()
    switch (command.type) {
      case 'move': {
        const [from, to] = command.extend ?? []
        const here = from === undefined ? null : freshRow(from)
        const there = to === undefined ? null : freshRow(to)
        if (here && there) {
          setSelection((current) =>
            setRows(selectionFor(current, version), [here.index, there.index], true),
          )
        }
        moveTo(command.to)
        break
      }
      case 'edit':
        startEdit(command.position)
        break
      case 'delete':
        deleteAt(command.position)
        break
      case 'delete-selected':
        void deleteSelected()
        break
      case 'toggle':
        toggle(command.position)
        break
      case 'select-all':
        setSelection(selectAll(version))
        break
      case 'clear-selection':
        setSelection(emptySelection(version))
        break
      case 'problem':
        void goToProblem(command.direction)
        break
      case 'none':
        break
    }
  }

  const positionOf = (target: EventTarget) => {
    if (!(target instanceof Element)) return null
    const row = target.closest<HTMLElement>('[data-position]')
    return row ? Number(row.dataset.position) : null
  }

  const onGridClick = (event: MouseEvent<HTMLDivElement>) => {
    const position = positionOf(event.target)
    if (position === null || !(event.target instanceof Element)) return
    if (event.target.closest('.row__input')) return
    const action = event.target.closest<HTMLElement>('[data-action]')?.dataset.action
    element?.focus()
    setActive(position)
    setNotice('')
    if (action === 'edit') startEdit(position)
    else if (action === 'delete') deleteAt(position)
    else if (event.shiftKey) void selectRange(position)
    else if (action === 'select' || event.ctrlKey || event.metaKey) toggle(position)
  }

  const onGridDoubleClick = (event: MouseEvent<HTMLDivElement>) => {
    const position = positionOf(event.target)
    if (position === null || !(event.target instanceof Element)) return
    if (event.target.closest('[data-action], .row__input')) return
    startEdit(position)
  }

  const positions: number[] = []
  for (let position = start; position < end; position++) positions.push(position)
  const rowId = (position: number) => `${id}-row-${position}`
  const activeRendered = active !== null && active >= start && active < end && editing === null

  return (
    <section
      className="panel row-list"
      aria-labelledby={`${id}-title`}
      onKeyDown={onSectionKeyDown}
    >
      <h2 id={`${id}-title`} className="row-list__title">
        {t('rows.title')}
      </h2>
      <RowListToolbar
        report={snapshot.report}
        filter={filter}
        onFilter={(choice) => applyView(choice, query)}
        query={query}
        onQuery={setQuery}
        shown={count}
        selected={selected}
        busy={busy}
        onPrevious={() => void goToProblem(-1)}
        onNext={() => void goToProblem(1)}
        onDeleteSelected={() => void deleteSelected()}
        onClearSelection={() => setSelection(emptySelection(version))}
      />
      <p className="row-list__keys" id={`${id}-keys`}>
        {t('rows.keys')}
      </p>
      {count === 0 ? (
        <p className="row-list__none">{t('rows.none')}</p>
      ) : (
        <div
          ref={attach}
          className="row-list__grid"
          role="grid"
          tabIndex={0}
          data-testid="row-list"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-keys`}
          aria-rowcount={count}
          aria-multiselectable="true"
          aria-busy={busy}
          aria-activedescendant={activeRendered ? rowId(active) : undefined}
          onScroll={onScroll}
          onKeyDown={onGridKeyDown}
          onClick={onGridClick}
          onDoubleClick={onGridDoubleClick}
          onMouseDown={(event) => {
            // Shift+click selects rows, not text.
            if (event.shiftKey) event.preventDefault()
          }}
          onFocus={(event) => {
            if (event.target === event.currentTarget && active === null) {
              setActive(firstVisible)
            }
          }}
        >
          <div className="row-list__space" style={{ height: space.real }}>
            <div
              role="rowgroup"
              className="row-list__rows"
              style={{ transform: `translateY(${top}px)` }}
            >
              {positions.map((position) => {
                const cached = cache.get(version, position)
                return (
                  <RowItem
                    key={position}
                    id={rowId(position)}
                    position={position}
                    row={cached?.row}
                    fresh={cached?.fresh ?? false}
                    active={position === active}
                    selected={cached !== undefined && isSelected(selection, cached.row.index)}
                    draft={editing?.position === position ? editing.draft : null}
                    busy={busy}
                    onDraft={onDraft}
                    onDraftBlur={onDraftBlur}
                  />
                )
              })}
            </div>
          </div>
        </div>
      )}
      <p className="row-list__notice" role="status">
        {notice}
      </p>
    </section>
  )
}
