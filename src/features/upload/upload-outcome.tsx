import { findAccessPoint, type RegionId } from '../../shared/access-points.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import { explainFailure } from './explain-failure.ts'
import type { PartResult, RunFailure } from './upload-run-state.ts'

/** One uploadId per part, with the hook tests read. */
export function UploadResults({
  results,
  region,
  count,
}: {
  results: readonly PartResult[]
  region: RegionId
  count: number
}) {
  const { t, language } = useI18n()
  if (results.length === 0) return null
  const place = findAccessPoint(region).name[language]
  return (
    <div className="upload__result" role="status">
      <p className="upload__result-title">
        {results.length === count
          ? t('upload.result.title', { region: place })
          : t('upload.result.partial', { done: results.length, count, region: place })}
      </p>
      <ul className="upload__result-list">
        {results.map((result) => (
          <li
            key={`${result.name}-${result.uploadId}`}
            data-testid="upload-result"
            data-upload-id={result.uploadId}
          >
            {t('upload.result.part', { name: result.name })}{' '}
            <strong className="upload__upload-id">{result.uploadId}</strong>
          </li>
        ))}
      </ul>
      {results.length === count && <p className="upload__hint">{t('upload.result.hint')}</p>}
    </div>
  )
}

interface UploadErrorProps {
  failure: RunFailure
  region: RegionId
  partName: string | null
  index: number
  count: number
  onRetry: () => void
  retryDisabled: boolean
}

/** Why the upload failed, in the user's language; the clean package is kept to try again. */
export function UploadError(props: UploadErrorProps) {
  const { failure, region, partName, index, count, onRetry, retryDisabled } = props
  const { t, language } = useI18n()
  const explained =
    failure.kind === 'prepare' || failure.kind === 'unexpected'
      ? { reason: t(`upload.failure.${failure.kind}`), said: failure.message }
      : explainFailure(failure, region, t, language)
  return (
    <div
      className="upload__error"
      role="alert"
      data-testid="upload-error"
      data-failure={failure.kind}
      data-ret-code={failure.kind === 'tpns' ? failure.retCode : undefined}
      data-proxy-error={failure.kind === 'proxy' ? failure.code : undefined}
    >
      <p className="upload__error-title">{t('upload.error.title')}</p>
      {count > 1 && partName !== null && (
        <p>{t('upload.error.part', { name: partName, index: index + 1, count })}</p>
      )}
      <p>{explained.reason}</p>
      {explained.said && <p className="upload__said">{explained.said}</p>}
      <p className="upload__hint">{t('upload.error.kept')}</p>
      <button
        type="button"
        className="button"
        data-testid="upload-retry-button"
        disabled={retryDisabled}
        onClick={onRetry}
      >
        {t('upload.error.retry')}
      </button>
    </div>
  )
}
