import { useEffect, useRef } from 'react'
import { findAccessPoint } from '../../shared/access-points.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import type { Repeat } from './upload-run-state.ts'

interface ReuploadDialogProps {
  repeats: readonly Repeat[]
  onConfirm: () => void
  onCancel: () => void
}

/**
 * Asks before sending bytes that already went to this access point under this AccessID.
 * A modal <dialog>: focus moves in and stays in, Escape cancels, focus returns afterwards.
 */
export function ReuploadDialog({ repeats, onConfirm, onCancel }: ReuploadDialogProps) {
  const { t, language } = useI18n()
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
    return () => element?.close()
  }, [])
  const when = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en', {
    dateStyle: 'medium',
    timeStyle: 'short',
  })
  return (
    <dialog
      ref={dialog}
      className="upload-dialog"
      data-testid="reupload-dialog"
      aria-labelledby="reupload-title"
      aria-describedby="reupload-body"
      onCancel={(event) => {
        event.preventDefault()
        onCancel()
      }}
    >
      <h2 id="reupload-title" className="upload-dialog__title">
        {t('upload.duplicate.title')}
      </h2>
      <div id="reupload-body">
        <ul className="upload-dialog__list">
          {repeats.map(({ file, earlier }) => (
            <li key={file.name}>
              {t('upload.duplicate.body', {
                name: file.name,
                region: findAccessPoint(earlier.region).name[language],
                accessId: earlier.accessId,
                time: when.format(new Date(earlier.uploadedAt)),
                uploadId: earlier.uploadId,
              })}
            </li>
          ))}
        </ul>
        <p className="upload__hint">{t('upload.duplicate.question')}</p>
      </div>
      <div className="upload__actions">
        {/* The safe choice has focus first: Enter on a stray key press does not upload. */}
        <button type="button" className="button" autoFocus onClick={onCancel}>
          {t('upload.duplicate.cancel')}
        </button>
        <button
          type="button"
          className="button button--primary"
          data-testid="reupload-confirm"
          onClick={onConfirm}
        >
          {t('upload.duplicate.confirm')}
        </button>
      </div>
    </dialog>
  )
}
