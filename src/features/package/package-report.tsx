import type { ReactNode } from 'react'
import type { PackageCode, PackageProblem, RowCode } from '../../core/problem-codes.ts'
import { ROW_CODES } from '../../core/problem-codes.ts'
import type { PackageReport as Report } from '../../core/validate-package.ts'
import type { MessageKey } from '../../shared/i18n/en.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import { formatBytes } from '../../shared/format-bytes.ts'
import type { PackageStatus } from './package-client.ts'

interface PackageReportProps {
  status: Exclude<PackageStatus, { state: 'idle' }>
  onCancel: () => void
  /** The action beside each problem (its fix), by code. */
  renderActions?: (code: RowCode | PackageCode) => ReactNode
  /** Shown under the counts once the package is read (undo, redo, fix-all). */
  toolbar?: ReactNode
}

/** The verdict, the counts and every problem, with the hooks end-to-end tests read. */
export function PackageReport({ status, onCancel, renderActions, toolbar }: PackageReportProps) {
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
    <ReportDone report={status.snapshot.report} renderActions={renderActions} toolbar={toolbar} />
  )
}

function ReportDone({
  report,
  renderActions,
  toolbar,
}: {
  report: Report
  renderActions: PackageReportProps['renderActions']
  toolbar: ReactNode
}) {
  const { t, formatNumber } = useI18n()
  const problemRows = report.rows - report.valid
  const rowCodes = ROW_CODES.filter((code) => report.counts[code] > 0)
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
              <li key={problem.code} data-testid={`problem-${problem.code}`} className="problem">
                <div className="problem__text">
                  <p className="problem__title">{packageMessage(t, problem)}</p>
                  <p className="muted">{t(`problem.${problem.code}.what`)}</p>
                </div>
                {renderActions?.(problem.code)}
              </li>
            ))}
          </ul>
        </section>
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
  if (kind === 'account' && (code === 'length' || code === 'charset'))
    return `row.${code}.account.what`
  return `row.${code}.what`
}

function packageMessage(t: ReturnType<typeof useI18n>['t'], problem: PackageProblem): string {
  const names =
    (problem.names ?? []).slice(0, 3).join(', ') + ((problem.names?.length ?? 0) > 3 ? ', …' : '')
  return t(`problem.${problem.code}`, {
    count: problem.count ?? 0,
    names,
    size: formatBytes(problem.count ?? 0),
  })
}
