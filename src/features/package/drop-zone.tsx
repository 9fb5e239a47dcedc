import { useEffect, useId, useRef, useState } from 'react'
import { useI18n } from '../../shared/i18n/i18n.tsx'

interface DropZoneProps {
  /** One file or several: several make one package, in the order given. */
  onFiles: (files: File[]) => void
  /** After a package is open the zone shrinks to a bar. */
  compact: boolean
}

/** Takes a package from the file picker or from a drop anywhere on the page. */
export function DropZone({ onFiles, compact }: DropZoneProps) {
  const { t } = useI18n()
  const inputId = useId()
  const dragging = usePageDrop(onFiles)

  return (
    <section
      data-testid="drop-zone"
      className={`drop-zone${compact ? ' drop-zone--compact' : ''}${dragging ? ' drop-zone--active' : ''}`}
      aria-labelledby={`${inputId}-title`}
    >
      <div className="drop-zone__text">
        <h2 id={`${inputId}-title`} className="drop-zone__title">
          {dragging ? t('drop.active') : compact ? t('drop.another') : t('drop.title')}
        </h2>
        {!compact && <p className="drop-zone__hint">{t('drop.hint')}</p>}
      </div>
      <label className="button button--primary" htmlFor={inputId}>
        {t('drop.choose')}
      </label>
      <FilesInput id={inputId} onFiles={onFiles} />
      {dragging && <div className="drop-overlay" aria-hidden="true" />}
    </section>
  )
}

/** A hidden file input that takes one file or several (labelled by a button-like label). */
export function FilesInput({ id, onFiles }: { id: string; onFiles: (files: File[]) => void }) {
  return (
    <input
      id={id}
      className="visually-hidden"
      type="file"
      multiple
      accept=".txt,.csv,.zip,text/plain,text/csv,application/zip"
      onChange={(event) => {
        const files = [...(event.currentTarget.files ?? [])]
        // Cleared so that choosing the same file again still reads it again.
        event.currentTarget.value = ''
        if (files.length > 0) onFiles(files)
      }}
    />
  )
}

/** Listens for files dragged anywhere over the page; true while one is over it. */
function usePageDrop(onFiles: (files: File[]) => void): boolean {
  const [dragging, setDragging] = useState(false)
  const latest = useRef(onFiles)
  useEffect(() => {
    latest.current = onFiles
  }, [onFiles])

  useEffect(() => {
    let depth = 0
    const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return
      depth++
      setDragging(true)
    }
    const leave = (event: DragEvent) => {
      if (!carriesFiles(event)) return
      depth = Math.max(0, depth - 1)
      if (depth === 0) setDragging(false)
    }
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return
      event.preventDefault()
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    }
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event)) return
      event.preventDefault()
      depth = 0
      setDragging(false)
      const files = [...(event.dataTransfer?.files ?? [])]
      if (files.length > 0) latest.current(files)
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragleave', leave)
    window.addEventListener('dragover', over)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('dragover', over)
      window.removeEventListener('drop', drop)
    }
  }, [])
  return dragging
}
