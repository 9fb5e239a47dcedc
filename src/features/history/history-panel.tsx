import { useId, useState } from 'react'
import { ACCESS_POINTS, findAccessPoint, isRegionId } from '../../shared/access-points.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import { useDeleteHistoryEntries } from './api/delete-history-entries.ts'
import { useHistory } from './api/get-history.ts'
import { copyText } from './copy-text.ts'
import { downloadBlob } from '../../shared/download-blob.ts'
import { historyToCsv, historyToJson } from './export-history.ts'
import { appsIn, matchesFilter, type HistoryFilter } from './filter-history.ts'
import type { HistoryEntry } from './history-entry.ts'
import { pushBody, pushUrl } from './push-body.ts'
import './history.css'
import { describeFixes } from './describe-fixes.ts'

const KINDS = ['token', 'account'] as const

/** Every uploadId this browser received: search, filter, copy, delete, export, push body. */
export function HistoryPanel() {
  const { t, language, formatNumber } = useI18n()
  const history = useHistory()
  const remove = useDeleteHistoryEntries()
  const [filter, setFilter] = useState<HistoryFilter>({
    text: '',
    region: 'all',
    kind: 'all',
    app: 'all',
  })
  const [notice, setNotice] = useState('')

  const entries = history.data?.entries ?? []
  const shown = entries.filter((entry) => matchesFilter(entry, filter))
  const skipped = history.data?.skipped ?? []
  const apps = appsIn(entries)
  const stamp = new Date().toISOString().slice(0, 10)

  return (
    <section className="panel history" aria-labelledby="history-title" data-testid="history-panel">
      <h2 id="history-title" className="history__title">
        {t('history.title')}
      </h2>
      <p className="muted">{t('history.intro')}</p>
      {history.data?.storage === 'memory' && (
        <p className="notice notice--warn" data-testid="history-memory">
          {t('history.memory')}
        </p>
      )}
      {skipped.length > 0 && (
        <p className="notice notice--warn" data-testid="history-skipped">
          {t('history.skipped', { count: formatNumber(skipped.length) })}{' '}
          <button
            type="button"
            className="button button--small"
            disabled={remove.isPending}
            onClick={() => remove.mutate(skipped)}
          >
            {t('history.skipped.remove')}
          </button>
        </p>
      )}
      {history.isError && (
        <p className="notice notice--warn" role="alert">
          {t('history.failed', { message: history.error.message })}
        </p>
      )}

      <div className="history__toolbar">
        <div className="history__field history__field--grow">
          <label htmlFor="history-search">{t('history.search')}</label>
          <input
            id="history-search"
            type="search"
            data-testid="history-search"
            placeholder={t('history.search.placeholder')}
            value={filter.text}
            onChange={(event) => setFilter({ ...filter, text: event.currentTarget.value })}
          />
        </div>
        <div className="history__field">
          <label htmlFor="history-region">{t('history.filter.region')}</label>
          <select
            id="history-region"
            data-testid="history-region"
            value={filter.region}
            onChange={(event) => {
              const value = event.currentTarget.value
              setFilter({ ...filter, region: isRegionId(value) ? value : 'all' })
            }}
          >
            <option value="all">{t('history.filter.all')}</option>
            {ACCESS_POINTS.map((point) => (
              <option key={point.id} value={point.id}>
                {point.name[language]}
              </option>
            ))}
          </select>
        </div>
        {apps.length > 0 && (
          <div className="history__field">
            <label htmlFor="history-app">{t('history.filter.app')}</label>
            <select
              id="history-app"
              data-testid="history-app"
              value={filter.app}
              onChange={(event) => setFilter({ ...filter, app: event.currentTarget.value })}
            >
              <option value="all">{t('history.filter.all')}</option>
              {apps.map((app) => (
                <option key={app.id} value={app.id}>
                  {app.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="history__field">
          <label htmlFor="history-kind">{t('history.filter.kind')}</label>
          <select
            id="history-kind"
            data-testid="history-kind"
            value={filter.kind}
            onChange={(event) => {
              const value = event.currentTarget.value
              setFilter({ ...filter, kind: KINDS.find((kind) => kind === value) ?? 'all' })
            }}
          >
            <option value="all">{t('history.filter.all')}</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`history.kind.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="history__exports">
          <button
            type="button"
            className="button"
            data-testid="history-export-csv"
            disabled={shown.length === 0}
            onClick={() =>
              downloadBlob(
                new Blob([historyToCsv(shown)], { type: 'text/csv' }),
                `tpns-uploads-${stamp}.csv`,
              )
            }
          >
            {t('history.export.csv')}
          </button>
          <button
            type="button"
            className="button"
            data-testid="history-export-json"
            disabled={shown.length === 0}
            onClick={() =>
              downloadBlob(
                new Blob([historyToJson(shown)], { type: 'application/json' }),
                `tpns-uploads-${stamp}.json`,
              )
            }
          >
            {t('history.export.json')}
          </button>
        </div>
      </div>

      <p className="history__status" role="status" data-testid="history-status">
        {notice}
      </p>

      {history.isPending ? (
        <p className="muted">{t('history.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="muted" data-testid="history-empty">
          {t('history.empty')}
        </p>
      ) : shown.length === 0 ? (
        <p className="muted">{t('history.no-match')}</p>
      ) : (
        <>
          {shown.length < entries.length && (
            <p className="muted">
              {t('history.count', {
                shown: formatNumber(shown.length),
                total: formatNumber(entries.length),
              })}
            </p>
          )}
          <ul className="history__list">
            {shown.map((entry) => (
              <HistoryItem
                key={entry.id}
                entry={entry}
                onNotice={setNotice}
                onDelete={() => {
                  remove.mutate([entry.id], {
                    onSuccess: () => setNotice(t('history.deleted', { uploadId: entry.uploadId })),
                  })
                }}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function HistoryItem({
  entry,
  onNotice,
  onDelete,
}: {
  entry: HistoryEntry
  onNotice: (text: string) => void
  onDelete: () => void
}) {
  const { t, language, formatNumber } = useI18n()
  const [showPush, setShowPush] = useState(false)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const pushId = useId()
  const when = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(entry.uploadedAt))

  const copy = async (text: string, done: string) => {
    onNotice((await copyText(text)) ? done : t('history.copy.failed'))
  }
  const listsText = (lists: HistoryEntry['sources']) =>
    lists
      .map((list) => t('history.list', { name: list.name, count: formatNumber(list.rows) }))
      .join(', ')

  return (
    <li className="history__entry" data-testid="history-entry" data-upload-id={entry.uploadId}>
      <div className="history__entry-head">
        <h3 className="history__upload-id">
          <span className="history__label">{t('history.upload-id')}</span>{' '}
          <span className="history__id">{entry.uploadId}</span>
        </h3>
        <span className="history__region">{findAccessPoint(entry.region).name[language]}</span>
        <time dateTime={entry.uploadedAt} className="muted">
          {when}
        </time>
      </div>
      <dl className="history__facts">
        {entry.app && (
          <div>
            <dt>{t('history.app')}</dt>
            <dd data-testid="history-app-name">{entry.app.name}</dd>
          </div>
        )}
        <div>
          <dt>{t('history.access-id')}</dt>
          <dd>{entry.accessId || '—'}</dd>
        </div>
        <div>
          <dt>{t('history.file')}</dt>
          <dd>{entry.fileName}</dd>
        </div>
        <div>
          <dt>{t('history.rows')}</dt>
          <dd>{formatNumber(entry.rows)}</dd>
        </div>
        <div>
          <dt>{t('history.size')}</dt>
          <dd>{t('history.bytes', { bytes: formatNumber(entry.bytes) })}</dd>
        </div>
        <div>
          <dt>{t('history.kind')}</dt>
          <dd>{t(`history.kind.${entry.kind}`)}</dd>
        </div>
        <div>
          <dt>{t('history.fixes')}</dt>
          <dd>
            {entry.fixes.length > 0 ? describeFixes(entry.fixes, t) : t('history.fixes.none')}
          </dd>
        </div>
        {entry.sources.length > 1 && (
          <div className="history__fact--wide">
            <dt>{t('history.sources')}</dt>
            <dd data-testid="history-sources">{listsText(entry.sources)}</dd>
          </div>
        )}
        {entry.exclusions.length > 0 && (
          <div className="history__fact--wide">
            <dt>{t('history.exclusions')}</dt>
            <dd data-testid="history-exclusions">{listsText(entry.exclusions)}</dd>
          </div>
        )}
        <div className="history__fact--wide">
          <dt>{t('history.sha256')}</dt>
          <dd className="history__hash">{entry.sha256}</dd>
        </div>
      </dl>
      <div className="history__actions">
        <button
          type="button"
          className="button button--small"
          data-testid="history-copy"
          onClick={() =>
            void copy(String(entry.uploadId), t('history.copied', { uploadId: entry.uploadId }))
          }
        >
          {t('history.copy')}
        </button>
        <button
          type="button"
          className="button button--small"
          data-testid="history-push"
          aria-expanded={showPush}
          aria-controls={pushId}
          onClick={() => setShowPush(!showPush)}
        >
          {t('history.push')}
        </button>
        {confirmDelete ? (
          <>
            <button
              type="button"
              className="button button--small history__danger"
              data-testid="history-delete-confirm"
              autoFocus
              onClick={onDelete}
            >
              {t('history.delete.confirm')}
            </button>
            <button
              type="button"
              className="button button--small"
              onClick={() => setConfirmDelete(false)}
            >
              {t('history.delete.keep')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button button--small"
            data-testid="history-delete"
            onClick={() => setConfirmDelete(true)}
          >
            {t('history.delete')}
          </button>
        )}
      </div>
      {showPush && <PushBody id={pushId} entry={entry} onCopy={copy} />}
    </li>
  )
}

function PushBody({
  id,
  entry,
  onCopy,
}: {
  id: string
  entry: HistoryEntry
  onCopy: (text: string, done: string) => Promise<void>
}) {
  const { t } = useI18n()
  const json = JSON.stringify(
    pushBody(entry, {
      title: t('history.push.sample-title'),
      content: t('history.push.sample-content'),
    }),
    null,
    2,
  )
  const url = pushUrl(entry.region)
  return (
    <div id={id} className="history__push" data-testid="history-push-body">
      <p>{url === null ? t('history.push.sandbox') : t('history.push.intro', { url })}</p>
      <pre className="history__json" tabIndex={0} aria-label={t('history.push.json')}>
        <code>{json}</code>
      </pre>
      <p className="muted">{t('history.push.ios')}</p>
      <button
        type="button"
        className="button button--small"
        data-testid="history-push-copy"
        onClick={() => void onCopy(json, t('history.push.copied'))}
      >
        {t('history.push.copy')}
      </button>
    </div>
  )
}
