import { useId, type ReactNode } from 'react'
import {
  isLegacyEncoding,
  LEGACY_ENCODINGS,
  type LegacyEncoding,
} from '../../core/legacy-encoding.ts'
import type { PackageCode, PackageProblem, RowCode } from '../../core/problem-codes.ts'
import { ROW_CODES } from '../../core/problem-codes.ts'
import type { ColumnChoice } from '../../core/csv-dialect.ts'
import type { PackageReport as Report } from '../../core/validate-package.ts'
import type { MessageKey } from '../../shared/i18n/en.ts'
import { forKind } from '../../shared/i18n/for-kind.ts'
import { useI18n, type Translate } from '../../shared/i18n/i18n.tsx'
import { formatBytes } from '../../shared/format-bytes.ts'
import type { PackageStatus } from './package-client.ts'

interface PackageReportProps {
  status: Exclude<PackageStatus, { state: 'idle' }>
  onCancel: () => void
  /** The action beside each problem (its fix), by code. */
  renderActions?: (code: RowCode | PackageCode) => ReactNode
  /** Shown under the counts once the package is read (undo, redo, fix-all). */
  toolbar?: ReactNode
  /** Reads the file again in another legacy encoding than the one guessed. */
  onEncoding?: (encoding: LegacyEncoding) => void
  /** Reads the file again with the values from another column than the one guessed. */
  onColumn?: (column: number) => void
  /** Adds the tokens of another column of the same file to the package. */
  onAddColumn?: (column: number) => void
}

/** The verdict, the counts and every problem, with the hooks end-to-end tests read. */
export function PackageReport({
  status,
  onCancel,
  renderActions,
  toolbar,
  onEncoding,
  onColumn,
  onAddColumn,
}: PackageReportProps) {
  const { t } = useI18n()
  if (status.state === 'reading') {
    const { phase, done, total } = status.progress
    const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0
    const label = t(`read.${phase}`, { name: status.fileName })
    return (
      <section data-testid="report" data-state="reading" className="panel report" aria-busy="true">
        <p className="report__reading" id="reading-label">
          {label}
        </p>
        <progress className="progress" max={100} value={percent} aria-labelledby="reading-label">
          {percent}%
        </progress>
        <button type="button" className="button" onClick={onCancel}>
          {t('read.cancel')}
        </button>
      </section>
    )
  }
  if (status.state === 'cancelled') {
    return (
      <section className="panel report" role="status">
        <p>{t('read.cancelled')}</p>
      </section>
    )
  }
  if (status.state === 'failed') {
    return (
      <section
        data-testid="report"
        data-state="done"
        data-verdict="unreadable"
        className="panel report"
        role="alert"
      >
        <h2 className="verdict verdict--unreadable">{t('verdict.unreadable')}</h2>
        <p>{t('read.failed', { message: status.message })}</p>
      </section>
    )
  }
  return (
    <ReportDone
      report={status.snapshot.report}
      renderActions={renderActions}
      toolbar={toolbar}
      onEncoding={onEncoding}
      onColumn={onColumn}
      onAddColumn={onAddColumn}
    />
  )
}

function ReportDone({
  report,
  renderActions,
  toolbar,
  onEncoding,
  onColumn,
  onAddColumn,
}: {
  report: Report
  renderActions: PackageReportProps['renderActions']
  toolbar: ReactNode
  onEncoding: PackageReportProps['onEncoding']
  onColumn: PackageReportProps['onColumn']
  onAddColumn: PackageReportProps['onAddColumn']
}) {
  const { t, formatNumber } = useI18n()
  const problemRows = report.rows - report.valid
  const rowCodes = ROW_CODES.filter((code) => report.counts[code] > 0)
  // Reading again reads the one file again, as a new package: offered while nothing else
  // (another list, an exclusion list) is part of this one, which it would drop.
  const single = report.sources.length === 1 && report.exclusions.length === 0
  return (
    <section
      data-testid="report"
      data-state="done"
      data-verdict={report.verdict}
      className="panel report"
      aria-labelledby="verdict-title"
    >
      <header className="report__header">
        <div>
          <h2 id="verdict-title" className={`verdict verdict--${report.verdict}`}>
            {t(`verdict.${report.verdict}`)}
          </h2>
          <p className="muted">{t(`verdict.${report.verdict}.detail`)}</p>
        </div>
        <dl className="report__file">
          <dt>{t('summary.file')}</dt>
          <dd className="report__file-name">
            {report.fileName}
            {report.entryName && (
              <span className="muted"> · {t('summary.entry', { name: report.entryName })}</span>
            )}
          </dd>
          <dt>{t('summary.size')}</dt>
          <dd>{formatBytes(report.size)}</dd>
        </dl>
      </header>

      <dl className="counts">
        <div className="count">
          <dt>{t('count.rows')}</dt>
          <dd data-testid="count-rows">{formatNumber(report.rows)}</dd>
        </div>
        <div className="count count--valid">
          <dt>{t('count.valid')}</dt>
          <dd data-testid="count-valid">{formatNumber(report.valid)}</dd>
        </div>
        <div className="count count--problems">
          <dt>{t('count.problems')}</dt>
          <dd>{formatNumber(problemRows)}</dd>
        </div>
      </dl>

      {toolbar}

      {report.problems.length > 0 && (
        <section className="problems" aria-labelledby="package-problems-title">
          <h3 id="package-problems-title">{t('problems.package')}</h3>
          <ul className="problem-list">
            {report.problems.map((problem) => (
              <li
                key={`${problem.source ?? ''}:${problem.code}`}
                data-testid={`problem-${problem.code}`}
                className="problem"
              >
                <div className="problem__text">
                  <p className="problem__title">
                    {problem.source === undefined
                      ? packageMessage(t, problem)
                      : t('sources.problem', {
                          name: problem.source,
                          message: packageMessage(t, problem),
                        })}
                  </p>
                  <p className="muted">{packageExplanation(t, problem)}</p>
                  {problem.code === 'encoding-legacy' && onEncoding && single && (
                    <EncodingChoice current={problem.names?.[0]} onChoose={onEncoding} />
                  )}
                  {problem.code === 'csv-columns' && report.columns && onColumn && single && (
                    <TokenColumnChoice
                      columns={report.columns}
                      kind={report.kind}
                      onChoose={onColumn}
                    />
                  )}
                </div>
                {renderActions?.(problem.code)}
              </li>
            ))}
          </ul>
        </section>
      )}

      {report.columns && onAddColumn && (
        <OtherTokenColumns columns={report.columns} sources={report.sources} onAdd={onAddColumn} />
      )}

      {rowCodes.length > 0 && (
        <section className="problems" aria-labelledby="row-problems-title">
          <h3 id="row-problems-title">{t('problems.rows')}</h3>
          <ul className="problem-list">
            {rowCodes.map((code) => (
              <li key={code} className="problem">
                <span className={`badge badge--${code}`} data-testid={`count-${code}`}>
                  {formatNumber(report.counts[code])}
                </span>
                <div className="problem__text">
                  <p className="problem__title">{t(`row.${code}`)}</p>
                  <p className="muted">{t(rowExplanation(code, report.kind))}</p>
                </div>
                {renderActions?.(code)}
              </li>
            ))}
          </ul>
        </section>
      )}

      {report.problems.length === 0 && rowCodes.length === 0 && (
        <p className="muted">{t('problems.none')}</p>
      )}
    </section>
  )
}

function rowExplanation(code: RowCode, kind: Report['kind']): MessageKey {
  return forKind(`row.${code}.what`, kind)
}

/** Lets the user read the file in another legacy encoding than the one guessed. */
function EncodingChoice({
  current,
  onChoose,
}: {
  current: string | undefined
  onChoose: (encoding: LegacyEncoding) => void
}) {
  const { t } = useI18n()
  return (
    <ReadChoice
      label={t('problem.encoding-legacy.choose')}
      testId="encoding"
      value={current ?? ''}
      options={LEGACY_ENCODINGS.map((encoding) => ({
        value: encoding,
        label: t(`encoding.${encoding}`),
      }))}
      onChoose={(value) => isLegacyEncoding(value) && onChoose(value)}
    />
  )
}

/** Lets the user say which column holds the values, from what the first rows hold in each. */
function TokenColumnChoice({
  columns,
  kind,
  onChoose,
}: {
  columns: ColumnChoice
  kind: Report['kind']
  onChoose: (column: number) => void
}) {
  const { t } = useI18n()
  return (
    <ReadChoice
      label={t(
        kind === 'account' ? 'problem.csv-columns.choose.account' : 'problem.csv-columns.choose',
      )}
      testId="token-column"
      value={String(columns.chosen)}
      options={columns.samples.map((sample, column) => ({
        value: String(column),
        label: t('problem.csv-columns.option', { number: column + 1, sample }),
      }))}
      onChoose={(value) => onChoose(Number(value))}
    />
  )
}

/**
 * One button for each other column that holds tokens in the first rows (Android and iOS
 * tokens kept apart) and is not read yet: it adds that column's tokens to the package, as
 * another read of the file. While the package is that one file's columns only (lists left
 * out aside), as the session's add-column allows.
 */
function OtherTokenColumns({
  columns,
  sources,
  onAdd,
}: {
  columns: ColumnChoice
  sources: Report['sources']
  onAdd: (column: number) => void
}) {
  const { t } = useI18n()
  const [file] = sources
  if (!sources.every((source) => source.name === file.name && source.column !== null)) return null
  const read = new Set(sources.map((source) => source.column))
  const others = columns.tokens.filter((column) => !read.has(column))
  if (others.length === 0) return null
  // Outside the csv-columns problem: after fix-all has kept one column, the file's text still
  // holds the others, and they can still be added.
  return (
    <p className="muted" data-testid="other-token-columns">
      {t('problem.csv-columns.more')}{' '}
      {others.map((column) => (
        <button
          key={column}
          type="button"
          className="button button--small"
          data-testid={`add-token-column-${column + 1}`}
          onClick={() => onAdd(column)}
        >
          {t('problem.csv-columns.add', { number: column + 1 })}
        </button>
      ))}
    </p>
  )
}

/** A labelled choice of how to read the file again, under the problem it answers. */
function ReadChoice({
  label,
  testId,
  value,
  options,
  onChoose,
}: {
  label: string
  testId: string
  value: string
  options: { value: string; label: string }[]
  onChoose: (value: string) => void
}) {
  const id = useId()
  return (
    <p className="problem__choice">
      <label htmlFor={id}>{label}</label>{' '}
      <select
        id={id}
        className="field"
        data-testid={testId}
        value={value}
        onChange={(event) => onChoose(event.currentTarget.value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </p>
  )
}

function packageExplanation(t: Translate, problem: PackageProblem): string {
  if (problem.code === 'encoding-legacy')
    return t('problem.encoding-legacy.what', { sample: problem.names?.[1] ?? '' })
  return t(`problem.${problem.code}.what`)
}

function packageMessage(t: Translate, problem: PackageProblem): string {
  const label = problem.names?.[0] ?? ''
  if (problem.code === 'encoding-legacy' && isLegacyEncoding(label))
    return t('problem.encoding-legacy', {
      encoding: t(`encoding.${label}`),
      language: t(`encoding.language.${label}`),
    })
  const names =
    (problem.names ?? []).slice(0, 3).join(', ') + ((problem.names?.length ?? 0) > 3 ? ', …' : '')
  return t(`problem.${problem.code}`, {
    count: problem.count ?? 0,
    names,
    size: formatBytes(problem.count ?? 0),
  })
}
