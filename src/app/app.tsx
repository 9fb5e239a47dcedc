import { useDeferredValue, useState } from 'react'
import { fixForCode } from '../core/package-session.ts'
import type { PackageKind } from '../core/problem-codes.ts'
import type { ReadChoices } from '../core/validate-package.ts'
import { AccessGate, SignedInUser } from '../features/access/access-gate.tsx'
import { HistoryAccess } from '../features/history/history-access.tsx'
import { HistoryPanel } from '../features/history/history-panel.tsx'
import { CleanPackagePanel } from '../features/package/clean-package-panel.tsx'
import { DropZone } from '../features/package/drop-zone.tsx'
import { FixBar, FixButton } from '../features/package/fix-controls.tsx'
import { KindSwitch } from '../features/package/kind-switch.tsx'
import { PackageReport } from '../features/package/package-report.tsx'
import { RowList } from '../features/package/row-list.tsx'
import { SourcesPanel } from '../features/package/sources-panel.tsx'
import { usePackageClient, usePackageStatus } from '../features/package/use-package.ts'
import { UploadPanel } from '../features/upload/upload-panel.tsx'
import { useI18n } from '../shared/i18n/i18n.tsx'
import { LanguageSwitch } from '../shared/i18n/language-switch.tsx'

/** The single page: drop zone, then the report and rows, then upload and history. */
export function App() {
  const { t } = useI18n()
  const client = usePackageClient()
  const status = usePackageStatus()
  const [kind, setKind] = useState<PackageKind>('token')
  const [zip, setZip] = useState(false)
  // The file shown, kept to read it again as the user chooses (another encoding, another
  // token column) where the page's guess was wrong; the choices so far go with it.
  const [file, setFile] = useState<File | null>(null)
  const [choices, setChoices] = useState<ReadChoices>({})
  const readAgain = (more: ReadChoices) => {
    if (!file) return
    const next = { ...choices, ...more }
    setChoices(next)
    void client.open(file, shownKind, next)
  }
  // A kind chosen for the open package, shown while the worker re-checks the rows with it.
  const [pendingKind, setPendingKind] = useState<PackageKind | null>(null)
  const snapshot = status.state === 'done' ? status.snapshot : null
  // The open package's kind, which undo and redo move with its rows; the chosen one otherwise.
  const shownKind = pendingKind ?? snapshot?.report.kind ?? kind
  // The rows, clean package and upload mount in React's interruptible background pass once
  // a package is read, so the report's own render is not one long task with all of them.
  const settled = useDeferredValue(status.state)

  // Several files make one package: the first is read as the package, the others added to it.
  const openFiles = (files: File[]) => {
    setFile(files[0])
    setChoices({})
    void client.openAll(files, shownKind).catch(reportLater)
  }
  const addSources = async (files: File[]) => {
    for (const added of files) await client.addSource(added).catch(reportLater)
  }
  const exclude = async (files: File[]) => {
    for (const list of files) await client.exclude(list).catch(reportLater)
  }

  const changeKind = (next: PackageKind) => {
    setKind(next)
    // A file still being read is switched once it is checked (the run holds the step till then).
    if (status.state !== 'done' && status.state !== 'reading') return
    setPendingKind(next)
    void client
      .perform({ type: 'kind', kind: next })
      .catch(stepLost)
      // Only this switch's own: a later one still on its way keeps showing.
      .finally(() => setPendingKind((shown) => (shown === next ? null : shown)))
  }

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">{t('app.title')}</h1>
          <p className="muted">{t('app.tagline')}</p>
        </div>
        <div className="page__tools">
          <SignedInUser />
          <LanguageSwitch />
        </div>
      </header>
      <main className="page__main">
        <AccessGate>
          <DropZone onFiles={openFiles} compact={status.state !== 'idle'} />
          <KindSwitch
            kind={shownKind}
            suggested={snapshot?.suggestedKind ?? null}
            setsAside={(snapshot?.changesSinceRead ?? 0) > 0}
            onChange={changeKind}
          />
          {status.state !== 'idle' && (
            <PackageReport
              status={status}
              onCancel={client.cancel}
              onEncoding={(encoding) => readAgain({ encoding })}
              onColumn={(column) => readAgain({ column })}
              onAddColumn={(column) => void client.perform({ type: 'add-column', column })}
              toolbar={snapshot && <FixBar snapshot={snapshot} />}
              renderActions={(code) => {
                const fix = fixForCode(code)
                return snapshot && fix && <FixButton fix={fix} snapshot={snapshot} />
              }}
            />
          )}
          {status.state === 'done' && settled === 'done' && (
            <>
              <SourcesPanel
                report={status.snapshot.report}
                busy={status.busy}
                onAdd={(files) => void addSources(files)}
                onRemove={(index) => void client.perform({ type: 'remove-source', index })}
                onExclude={(files) => void exclude(files)}
                onRemoveExclusion={(index) =>
                  void client.perform({ type: 'remove-exclusion', index })
                }
              />
              <RowList snapshot={status.snapshot} version={status.version} busy={status.busy} />
              <CleanPackagePanel
                snapshot={status.snapshot}
                version={status.version}
                zip={zip}
                onZipChange={setZip}
              />
              <HistoryAccess>
                {(history) => (
                  <UploadPanel
                    version={status.version}
                    verdict={status.snapshot.report.verdict}
                    kind={status.snapshot.report.kind}
                    fixes={status.snapshot.applied}
                    lists={status.snapshot.report}
                    parts={status.snapshot.parts}
                    zip={zip}
                    loadFiles={client.cleanFiles}
                    earlierUploads={history.entries}
                    onUploaded={history.add}
                  />
                )}
              </HistoryAccess>
            </>
          )}
          <HistoryPanel />
        </AccessGate>
      </main>
    </div>
  )
}

/**
 * A list that could not be added: the package it was for is gone (another file, a cancel: its
 * step ends with its run), or its worker failed, which the report shows itself.
 */
function reportLater(error: unknown): void {
  console.warn('A list was not added:', error)
}

/** A switch of kind whose package went before it was made (another file, a cancel, a failure). */
function stepLost(error: unknown): void {
  console.warn('The kind was not changed:', error)
}
