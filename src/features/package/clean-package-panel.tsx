import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import { cleanFilesQuery } from './clean-files-query.ts'
import { downloadBlob } from '../../shared/download-blob.ts'
import { formatBytes } from '../../shared/format-bytes.ts'
import type { PackageSnapshot } from './package-worker-api.ts'
import { usePackageClient } from './use-package.ts'

interface CleanPackagePanelProps {
  snapshot: PackageSnapshot
  version: number
  zip: boolean
  onZipChange: (zip: boolean) => void
}

/** What will be uploaded, the zip option, and the downloads. */
export function CleanPackagePanel({ snapshot, version, zip, onZipChange }: CleanPackagePanelProps) {
  const { t, formatNumber } = useI18n()
  const client = usePackageClient()
  const queryClient = useQueryClient()
  const [downloading, setDownloading] = useState(false)
  const zipped = useQuery({ ...cleanFilesQuery(client, version, true), enabled: zip })
  const parts = snapshot.parts

  const downloadClean = async () => {
    setDownloading(true)
    try {
      const files = await queryClient.fetchQuery(cleanFilesQuery(client, version, zip))
      for (const file of files) downloadBlob(file.file, file.name)
    } finally {
      setDownloading(false)
    }
  }

  const downloadReport = async () => {
    const report = await client.problemReport()
    downloadBlob(report, parts[0].name.replace(/(-part1)?\.txt$/, '-problems.csv'))
  }

  return (
    <section className="panel clean-package" aria-labelledby="clean-title">
      <h2 id="clean-title" className="panel__title">
        {t('clean.title')}
      </h2>
      <ul className="clean-package__parts">
        {parts.map((part) => (
          <li key={part.name}>
            {t('clean.summary', {
              name: part.name,
              rows: formatNumber(part.rows),
              size: formatBytes(part.bytes),
            })}
          </li>
        ))}
      </ul>
      <p className="muted">{t('clean.what')}</p>
      {parts.length > 1 && (
        <p data-testid="clean-parts">{t('clean.parts', { count: parts.length })}</p>
      )}
      {snapshot.report.verdict !== 'ready' && <p className="muted">{t('clean.not-ready')}</p>}
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="clean-zip"
          checked={zip}
          onChange={(event) => onZipChange(event.currentTarget.checked)}
        />
        {t('clean.zip')}
      </label>
      {zip && (
        <p className="muted" role="status" data-testid="clean-zip-size">
          {zipped.data
            ? [
                ...zipped.data.map((file) =>
                  file.bytes < file.textBytes
                    ? t('clean.zip.saved', {
                        name: file.name,
                        size: formatBytes(file.bytes),
                        saved: formatBytes(file.textBytes - file.bytes),
                      })
                    : t('clean.zip.larger', {
                        name: file.name,
                        size: formatBytes(file.bytes),
                        more: formatBytes(file.bytes - file.textBytes),
                      }),
                ),
                // Over the limit as text: say what zipping did to the number of uploads.
                ...(parts.length > 1
                  ? [
                      zipped.data.length === 1
                        ? t('clean.zip.one')
                        : t('clean.zip.split', { count: zipped.data.length }),
                    ]
                  : []),
              ].join(' · ')
            : t('clean.zip.working')}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button"
          data-testid="download-clean"
          disabled={downloading || snapshot.report.rows === 0}
          onClick={() => void downloadClean()}
        >
          {parts.length > 1
            ? t('clean.download.parts', { count: parts.length })
            : t('clean.download')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="download-report"
          onClick={() => void downloadReport()}
        >
          {t('clean.report')}
        </button>
      </div>
    </section>
  )
}
