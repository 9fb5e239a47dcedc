import type { RegionId } from '../../shared/access-points.ts'
import { useI18n, type Translate } from '../../shared/i18n/i18n.tsx'
import type { RetryNotice, UploadSource } from './api/upload-package.ts'
import { explainFailure } from './explain-failure.ts'
import { formatBytes } from '../../shared/format-bytes.ts'
import type { ProgressView } from './upload-run-state.ts'

interface UploadProgressProps {
  source: UploadSource
  index: number
  count: number
  region: RegionId
  progress: ProgressView
  retry: RetryNotice | null
  onCancel: () => void
}

/** Bytes, percent, speed and time left of the part going up, with cancel. */
export function UploadProgress(props: UploadProgressProps) {
  const { source, index, count, region, progress, retry, onCancel } = props
  const { t, language, formatNumber } = useI18n()
  const { loaded, total, bytesPerSecond, secondsLeft } = progress
  const percent = total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0
  const sent = total > 0 && loaded >= total
  const facts = [
    t('upload.progress.bytes', {
      loaded: formatBytes(loaded),
      total: formatBytes(total),
      percent: formatNumber(percent),
    }),
  ]
  if (!sent && bytesPerSecond !== null) {
    facts.push(t('upload.progress.speed', { speed: formatBytes(bytesPerSecond) }))
  }
  if (!sent && secondsLeft !== null) {
    facts.push(t('upload.progress.left', { time: formatDuration(secondsLeft, t) }))
  }
  return (
    <div className="upload__progress" data-testid="upload-progress" aria-busy="true">
      <p id="upload-progress-label" className="upload__progress-title">
        {count > 1
          ? t('upload.progress.part', { name: source.name, index: index + 1, count })
          : t('upload.progress.one', { name: source.name })}
      </p>
      <progress
        className="upload__bar"
        max={100}
        value={percent}
        aria-labelledby="upload-progress-label"
        aria-describedby="upload-progress-facts"
      >
        {percent}%
      </progress>
      <p id="upload-progress-facts" className="upload__facts">
        {sent ? t('upload.progress.waiting') : facts.join(' · ')}
      </p>
      {retry && (
        <p className="notice notice--warn" role="status" data-testid="upload-retry">
          {t('upload.retrying', {
            reason: explainFailure(retry.failure, region, t, language).reason,
            seconds: formatNumber(retry.delayMs / 1000),
            next: retry.nextTry,
            tries: retry.tries,
          })}
        </p>
      )}
      <button type="button" className="button" data-testid="upload-cancel" onClick={onCancel}>
        {t('upload.cancel')}
      </button>
    </div>
  )
}

function formatDuration(seconds: number, t: Translate): string {
  if (seconds < 90) return t('upload.time.seconds', { count: Math.max(1, Math.ceil(seconds)) })
  return t('upload.time.minutes', { count: Math.ceil(seconds / 60) })
}
