import { useId, useState, type DragEvent } from 'react'
import type { PackageReport } from '../../core/validate-package.ts'
import { formatBytes } from '../../shared/format-bytes.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import { FilesInput } from './drop-zone.tsx'

interface SourcesPanelProps {
  report: PackageReport
  busy: boolean
  onAdd: (files: File[]) => void
  onRemove: (index: number) => void
  onExclude: (files: File[]) => void
  onRemoveExclusion: (index: number) => void
}

/**
 * The lists the package is made of, and the lists it leaves out: each with its rows, and a
 * button to take it away again (undo brings it back). Both take more files by picker or drop.
 */
export function SourcesPanel({
  report,
  busy,
  onAdd,
  onRemove,
  onExclude,
  onRemoveExclusion,
}: SourcesPanelProps) {
  const { t, formatNumber } = useI18n()
  const addId = useId()
  const excludeId = useId()
  const addDrop = useZoneDrop(onAdd)
  const excludeDrop = useZoneDrop(onExclude)
  const several = report.sources.length > 1

  return (
    <section className="panel sources" aria-labelledby={`${addId}-title`} aria-busy={busy}>
      <div
        className={`sources__zone${addDrop.over ? ' sources__zone--active' : ''}`}
        {...addDrop.handlers}
      >
        <h2 id={`${addId}-title`} className="sources__title">
          {t('sources.title')}
        </h2>
        {several && <p className="muted">{t('sources.hint')}</p>}
        <ol data-testid="sources" className="sources__list">
          {report.sources.map((source, index) => (
            <ListItem
              key={`${index}:${source.name}`}
              testId="source"
              name={source.name}
              rows={source.rows}
              facts={[
                t('sources.rows', { count: formatNumber(source.rows) }),
                ...(source.column !== null
                  ? [t('sources.column', { number: source.column + 1 })]
                  : []),
                source.encoding,
                formatBytes(source.size),
                ...(source.problems.length > 0
                  ? [t('sources.problems', { count: source.problems.length })]
                  : []),
              ]}
              removeLabel={several ? t('sources.remove', { name: source.name }) : null}
              busy={busy}
              onRemove={() => onRemove(index)}
            />
          ))}
        </ol>
        <label className="button" htmlFor={addId} data-testid="add-source">
          {t('sources.add')}
        </label>
        <FilesInput id={addId} onFiles={onAdd} />
      </div>

      <div
        data-testid="exclude-zone"
        className={`sources__zone sources__zone--exclude${excludeDrop.over ? ' sources__zone--active' : ''}`}
        {...excludeDrop.handlers}
      >
        <h3 className="sources__title">{t('exclude.title')}</h3>
        <p className="muted">{t('exclude.hint')}</p>
        {report.exclusions.length > 0 && (
          <ul data-testid="exclusions" className="sources__list">
            {report.exclusions.map((list, index) => (
              <ListItem
                key={`${index}:${list.name}`}
                testId="exclusion"
                name={list.name}
                rows={list.rows}
                facts={[
                  t('sources.rows', { count: formatNumber(list.rows) }),
                  list.values > 0
                    ? t('exclude.values', { count: formatNumber(list.values) })
                    : t('exclude.unreadable'),
                ]}
                removeLabel={t('exclude.remove', { name: list.name })}
                busy={busy}
                onRemove={() => onRemoveExclusion(index)}
              />
            ))}
          </ul>
        )}
        <label className="button" htmlFor={excludeId}>
          {t('exclude.choose')}
        </label>
        <FilesInput id={excludeId} onFiles={onExclude} />
      </div>
    </section>
  )
}

/** One list: its name, what is known of it, and a button to take it away (when it can go). */
function ListItem({
  testId,
  name,
  rows,
  facts,
  removeLabel,
  busy,
  onRemove,
}: {
  testId: string
  name: string
  rows: number
  facts: string[]
  removeLabel: string | null
  busy: boolean
  onRemove: () => void
}) {
  return (
    <li data-testid={testId} data-rows={rows} className="sources__item">
      <span className="sources__name">{name}</span>
      <span className="muted">{facts.join(' · ')}</span>
      {removeLabel !== null && (
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          aria-label={removeLabel}
          onClick={onRemove}
        >
          ×
        </button>
      )}
    </li>
  )
}

/**
 * Files dropped on this zone go to it, not to the page's drop (which opens a new package):
 * the drop stops here.
 */
function useZoneDrop(onFiles: (files: File[]) => void) {
  const [over, setOver] = useState(false)
  const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files')
  return {
    over,
    handlers: {
      onDragOver(event: DragEvent) {
        if (!carriesFiles(event)) return
        event.preventDefault()
        event.stopPropagation()
        setOver(true)
      },
      onDragLeave() {
        setOver(false)
      },
      onDrop(event: DragEvent) {
        if (!carriesFiles(event)) return
        event.preventDefault()
        event.stopPropagation()
        setOver(false)
        const files = [...event.dataTransfer.files]
        if (files.length > 0) onFiles(files)
      },
    },
  }
}
