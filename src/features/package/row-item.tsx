import { Fragment, memo, type MouseEvent } from 'react'
import { EXTRA_COLUMNS_BIT, ROW_BIT, ROW_CODES } from '../../core/problem-codes.ts'
import type { MessageKey } from '../../shared/i18n/en.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import type { RowView } from './package-worker-api.ts'
import { visibleSegments, type SegmentKind } from './visible-text.ts'

/** What a click inside a row asks for; the list handles every row's clicks in one place. */
export type RowAction = 'select' | 'edit' | 'delete'

interface RowItemProps {
  id: string
  position: number
  /** The row, once fetched; undefined draws a placeholder. */
  row: RowView | undefined
  /** False while the row is from an earlier version of the package, shown until its refetch. */
  fresh: boolean
  active: boolean
  selected: boolean
  /** The value being typed while this row is edited; null otherwise. */
  draft: string | null
  busy: boolean
  onDraft: (value: string) => void
  onDraftBlur: () => void
}

// Clicks on the row's own controls keep the focus on the list, where the keys work.
const keepFocus = (event: MouseEvent) => event.preventDefault()
// The checkbox is drawn from the selection; the list's click handler changes it.
const drawnFromSelection = () => {}

/** One row of the list: its line number, its value as text, and its problems. */
export const RowItem = memo(function RowItem({
  id,
  position,
  row,
  fresh,
  active,
  selected,
  draft,
  busy,
  onDraft,
  onDraftBlur,
}: RowItemProps) {
  const { t, formatNumber } = useI18n()
  if (!row) {
    return (
      <div role="row" id={id} aria-rowindex={position + 1} className="row row--loading">
        <div role="gridcell" className="row__loading">
          {t('rows.loading')}
        </div>
      </div>
    )
  }
  // Rows from an earlier version are on screen only until theirs arrive: not to act on.
  const actionable = fresh && !busy
  const className = [
    'row',
    active && 'row--active',
    selected && 'row--selected',
    row.codes !== 0 && 'row--problem',
    !fresh && 'row--stale',
  ]
    .filter(Boolean)
    .join(' ')
  return (
    <div
      role="row"
      id={id}
      aria-rowindex={position + 1}
      aria-selected={selected}
      className={className}
      data-testid="row"
      data-position={position}
      data-index={row.index}
      data-line={row.line}
      data-source={row.source ?? undefined}
      data-codes={row.codes}
    >
      <div role="gridcell" className="row__select">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          disabled={!actionable}
          aria-label={t('rows.select', { line: formatNumber(row.line) })}
          data-action={'select' satisfies RowAction}
          onMouseDown={keepFocus}
          onChange={drawnFromSelection}
        />
      </div>
      <div role="gridcell" className="row__line" title={row.source ?? undefined}>
        {formatNumber(row.line)}
        {/* In a package of several files, which file the line is in. */}
        {row.source !== null && <span className="visually-hidden"> {row.source}</span>}
      </div>
      <div role="gridcell" className="row__value">
        {draft !== null ? (
          <input
            className="row__input"
            data-testid="row-edit-input"
            aria-label={t('rows.edit.label', { line: formatNumber(row.line) })}
            title={t('rows.edit.hint')}
            value={draft}
            spellCheck={false}
            autoComplete="off"
            autoFocus
            onChange={(event) => onDraft(event.target.value)}
            onBlur={onDraftBlur}
          />
        ) : (
          <RowValue value={row.value} full={row.full} />
        )}
      </div>
      <div role="gridcell" className="row__codes">
        {ROW_CODES.filter((code) => row.codes & ROW_BIT[code]).map((code) => (
          <span
            key={code}
            className={`row-badge row-badge--${code}`}
            data-code={code}
            title={t(`row.${code}`)}
          >
            {t(`rows.badge.${code}`)}
          </span>
        ))}
        {(row.codes & EXTRA_COLUMNS_BIT) !== 0 && (
          <span className="row-badge row-badge--extra" data-code="extra" title={t('rows.extra')}>
            {t('rows.badge.extra')}
          </span>
        )}
      </div>
      <div role="gridcell" className="row__actions">
        {active && draft === null && (
          <>
            <button
              type="button"
              tabIndex={-1}
              className="button button--small"
              data-testid="row-edit"
              data-action={'edit' satisfies RowAction}
              aria-keyshortcuts="Enter"
              disabled={!actionable}
              onMouseDown={keepFocus}
            >
              {t('rows.edit')}
            </button>
            <button
              type="button"
              tabIndex={-1}
              className="button button--small button--danger"
              data-testid="row-delete"
              data-action={'delete' satisfies RowAction}
              aria-keyshortcuts="Delete"
              disabled={!actionable}
              onMouseDown={keepFocus}
            >
              {t('rows.delete')}
            </button>
          </>
        )}
      </div>
    </div>
  )
})

const MARK_TITLE: Record<Exclude<SegmentKind, 'text'>, MessageKey> = {
  space: 'rows.mark.space',
  tab: 'rows.mark.tab',
  control: 'rows.mark.control',
  invisible: 'rows.mark.invisible',
}

/** The value as plain text, with the characters one cannot see drawn visibly. */
function RowValue({ value, full }: { value: string; full: string | null }) {
  const { t } = useI18n()
  const rest = full !== null && full.startsWith(value) ? full.slice(value.length) : full
  return (
    <span className="row__text">
      {value === '' ? (
        <span className="row__empty">{t('rows.empty-value')}</span>
      ) : (
        <Segments text={value} titles={(kind) => t(MARK_TITLE[kind])} />
      )}
      {rest !== null && rest !== '' && (
        <span className="row__extra" title={t('rows.extra')}>
          <Segments text={rest} titles={(kind) => t(MARK_TITLE[kind])} />
        </span>
      )}
    </span>
  )
}

function Segments({
  text,
  titles,
}: {
  text: string
  titles: (kind: Exclude<SegmentKind, 'text'>) => string
}) {
  return visibleSegments(text).map((segment, key) =>
    segment.kind === 'text' ? (
      <Fragment key={key}>{segment.shown}</Fragment>
    ) : (
      <span key={key} className={`mark mark--${segment.kind}`} title={titles(segment.kind)}>
        {segment.shown}
      </span>
    ),
  )
}
