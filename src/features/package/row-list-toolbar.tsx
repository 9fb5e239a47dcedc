import {
  EXTRA_COLUMNS_BIT,
  INVALID_MASK,
  ROW_BIT,
  ROW_CODES,
  isRowCode,
} from '../../core/problem-codes.ts'
import type { PackageReport } from '../../core/validate-package.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'

/** What the list shows: every row, rows with a problem, rows with one code, or extra columns. */
export type RowFilterChoice = 'all' | 'problems' | 'extra' | `code:${string}`

/** The worker's code mask for a choice; null keeps every row. */
export function maskOf(choice: RowFilterChoice): number | null {
  if (choice === 'all') return null
  // The same rows the report counts as "with problems": rows - valid.
  if (choice === 'problems') return INVALID_MASK
  if (choice === 'extra') return EXTRA_COLUMNS_BIT
  const code = choice.slice('code:'.length)
  return isRowCode(code) ? ROW_BIT[code] : null
}

function isFilterChoice(value: string): value is RowFilterChoice {
  return value === 'all' || value === 'problems' || value === 'extra' || value.startsWith('code:')
}

interface FilterOption {
  value: RowFilterChoice
  label: string
}

function useFilterOptions(report: PackageReport, chosen: RowFilterChoice): FilterOption[] {
  const { t, formatNumber } = useI18n()
  const extra = report.problems.find((problem) => problem.code === 'csv-columns')?.count ?? 0
  const options: FilterOption[] = [
    { value: 'all', label: t('rows.filter.all', { count: formatNumber(report.rows) }) },
    {
      value: 'problems',
      label: t('rows.filter.problems', { count: formatNumber(report.rows - report.valid) }),
    },
  ]
  for (const code of ROW_CODES) {
    const value: RowFilterChoice = `code:${code}`
    // Codes no row has are left out, unless chosen (a fix may just have emptied them).
    if (report.counts[code] === 0 && chosen !== value) continue
    const count = formatNumber(report.counts[code])
    options.push({ value, label: t('rows.filter.code', { label: t(`row.${code}`), count }) })
  }
  if (extra > 0 || chosen === 'extra') {
    options.push({ value: 'extra', label: t('rows.filter.extra', { count: formatNumber(extra) }) })
  }
  return options
}

interface RowListToolbarProps {
  report: PackageReport
  filter: RowFilterChoice
  onFilter: (choice: RowFilterChoice) => void
  query: string
  onQuery: (query: string) => void
  shown: number
  selected: number
  busy: boolean
  onPrevious: () => void
  onNext: () => void
  onDeleteSelected: () => void
  onClearSelection: () => void
}

/** Filter, search, problem navigation and the selection's actions, above the rows. */
export function RowListToolbar({
  report,
  filter,
  onFilter,
  query,
  onQuery,
  shown,
  selected,
  busy,
  onPrevious,
  onNext,
  onDeleteSelected,
  onClearSelection,
}: RowListToolbarProps) {
  const { t, formatNumber } = useI18n()
  const options = useFilterOptions(report, filter)
  return (
    <div className="row-toolbar">
      <div className="row-toolbar__group">
        <label className="row-toolbar__field">
          <span className="row-toolbar__label">{t('rows.filter')}</span>
          <select
            data-testid="row-filter"
            value={filter}
            onChange={(event) => {
              if (isFilterChoice(event.target.value)) onFilter(event.target.value)
            }}
          >
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label className="row-toolbar__field">
          <span className="row-toolbar__label">{t('rows.search')}</span>
          <input
            type="search"
            data-testid="row-search"
            value={query}
            placeholder={t('rows.search.placeholder')}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => onQuery(event.target.value)}
          />
        </label>
        <p className="row-toolbar__count" role="status">
          {t('rows.showing', { shown: formatNumber(shown), total: formatNumber(report.rows) })}
        </p>
      </div>
      <div className="row-toolbar__group">
        <button
          type="button"
          className="button button--small"
          data-testid="prev-problem"
          aria-keyshortcuts="Shift+F8 P"
          title={`${t('rows.prev')} (Shift+F8, P)`}
          onClick={onPrevious}
          disabled={shown === 0}
        >
          ↑ {t('rows.prev')}
        </button>
        <button
          type="button"
          className="button button--small"
          data-testid="next-problem"
          aria-keyshortcuts="F8 N"
          title={`${t('rows.next')} (F8, N)`}
          onClick={onNext}
          disabled={shown === 0}
        >
          ↓ {t('rows.next')}
        </button>
        <span className="row-toolbar__selected" aria-live="polite">
          {selected > 0 && t('rows.selected', { count: formatNumber(selected) })}
        </span>
        {selected > 0 && (
          <button type="button" className="button button--small" onClick={onClearSelection}>
            {t('rows.clear-selection')}
          </button>
        )}
        <button
          type="button"
          className="button button--small button--danger"
          data-testid="delete-selected"
          onClick={onDeleteSelected}
          disabled={selected === 0 || busy}
        >
          {t('rows.delete-selected')}
        </button>
      </div>
    </div>
  )
}
