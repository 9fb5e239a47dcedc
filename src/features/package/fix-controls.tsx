import type { PackageKind } from '../../core/problem-codes.ts'
import { useEffect, useRef, useState } from 'react'
import type { FixId } from '../../core/package-session.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import { formatBytes } from '../../shared/format-bytes.ts'
import type { PackageSnapshot } from './package-worker-api.ts'
import { usePackageClient, usePackageStatus } from './use-package.ts'
import { forKind } from '../../shared/i18n/for-kind.ts'

/** The one-click fix for a code, saying how many rows it changes; nothing when there is none. */
export function FixButton({ fix, snapshot }: { fix: FixId; snapshot: PackageSnapshot }) {
  const { t, formatNumber } = useI18n()
  const client = usePackageClient()
  const busy = useBusy()
  const available = snapshot.fixes.find((entry) => entry.fix === fix)
  if (!available) return null
  if (fix === 'invalid')
    return (
      <RemoveInvalidButton
        rows={available.rows}
        savable={available.savable ?? 0}
        kind={snapshot.report.kind}
      />
    )
  const rows =
    available.rows === 1 ? t('fix.one-row') : t('fix.rows', { count: formatNumber(available.rows) })
  const label =
    fix === 'too-large'
      ? snapshot.parts.length > 1
        ? t('fix.too-large.split', { count: snapshot.parts.length })
        : t('fix.too-large', { size: formatBytes(snapshot.parts[0]?.bytes ?? 0) })
      : t(forKind(`fix.${fix}`, snapshot.report.kind))
  return (
    <button
      type="button"
      className={`button button--small${fix === 'all' ? ' button--primary' : ''}`}
      data-testid={`fix-${fix}`}
      disabled={busy}
      onClick={() => void client.perform({ type: 'fix', fix })}
    >
      {label}
      {available.rows > 0 && <span className="button__note">{rows}</span>}
    </button>
  )
}

/** fix-invalid loses rows, so it asks first, saying how many. */
function RemoveInvalidButton({
  rows,
  savable,
  kind,
}: {
  rows: number
  savable: number
  kind: PackageKind
}) {
  const { t, formatNumber } = useI18n()
  const client = usePackageClient()
  const busy = useBusy()
  const dialog = useRef<HTMLDialogElement>(null)
  const count = formatNumber(rows)
  return (
    <>
      <button
        type="button"
        className="button button--small button--danger"
        data-testid="fix-invalid"
        disabled={busy}
        onClick={() => dialog.current?.showModal()}
      >
        {t('fix.invalid')}
        <span className="button__note">
          {rows === 1 ? t('fix.one-row') : t('fix.rows', { count })}
        </span>
      </button>
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby="remove-invalid-title"
        data-testid="confirm-invalid"
      >
        <form
          method="dialog"
          onSubmit={(event) => {
            const submitter =
              event.nativeEvent instanceof SubmitEvent ? event.nativeEvent.submitter : null
            if (submitter instanceof HTMLButtonElement && submitter.value === 'confirm') {
              void client.perform({ type: 'fix', fix: 'invalid' })
            }
          }}
        >
          <h2 id="remove-invalid-title">{t('fix.invalid.confirm.title', { count })}</h2>
          <p>{t('fix.invalid.confirm.body')}</p>
          {savable > 0 && (
            <p className="dialog__warning" data-testid="confirm-invalid-savable">
              {t(forKind('fix.invalid.confirm.savable', kind), { count: formatNumber(savable) })}
            </p>
          )}
          <div className="dialog__actions">
            <button type="submit" className="button" value="cancel" autoFocus>
              {t('fix.cancel')}
            </button>
            <button
              type="submit"
              className="button button--danger"
              value="confirm"
              data-testid="confirm-invalid-ok"
            >
              {t('fix.invalid.confirm.ok', { count })}
            </button>
          </div>
        </form>
      </dialog>
    </>
  )
}

function useBusy(): boolean {
  const status = usePackageStatus()
  return status.state === 'done' && status.busy
}

/** Undo, redo, fix-all and fix-invalid, with Ctrl/Cmd+Z and Shift+Ctrl/Cmd+Z (or Ctrl+Y). */
export function FixBar({ snapshot }: { snapshot: PackageSnapshot }) {
  const { t } = useI18n()
  const client = usePackageClient()
  const busy = useBusy()
  const status = usePackageStatus()
  const stepError = status.state === 'done' ? status.stepError : null
  useUndoShortcuts(snapshot, busy)
  const [announcement, setAnnouncement] = useState('')
  const previous = useRef(snapshot.applied.length)
  useEffect(() => {
    if (snapshot.applied.length !== previous.current) {
      previous.current = snapshot.applied.length
      setAnnouncement(
        snapshot.applied.length
          ? t('history.applied', { list: snapshot.applied.at(-1) ?? '' })
          : '',
      )
    }
  }, [snapshot.applied, t])

  return (
    <div className="fix-bar" role="toolbar" aria-label={t('problems.rows')}>
      <button
        type="button"
        className="button button--small"
        data-testid="undo"
        disabled={!snapshot.canUndo || busy}
        title={t('history.undo.hint')}
        aria-keyshortcuts="Control+Z Meta+Z"
        onClick={() => void client.undo()}
      >
        ↶ {t('history.undo')}
      </button>
      <button
        type="button"
        className="button button--small"
        data-testid="redo"
        disabled={!snapshot.canRedo || busy}
        title={t('history.redo.hint')}
        aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
        onClick={() => void client.redo()}
      >
        ↷ {t('history.redo')}
      </button>
      <span className="fix-bar__spacer" />
      {busy && <span className="muted">{t('fix.working')}</span>}
      {stepError !== null && (
        <span className="fix-bar__error" role="alert" data-testid="step-error">
          {t('fix.failed', { message: stepError })}
        </span>
      )}
      <FixButton fix="invalid" snapshot={snapshot} />
      <FixButton fix="all" snapshot={snapshot} />
      <span className="visually-hidden" role="status">
        {announcement}
      </span>
    </div>
  )
}

function useUndoShortcuts(snapshot: PackageSnapshot, busy: boolean): void {
  const client = usePackageClient()
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || busy) return
      // Text fields keep their own undo.
      const target = event.target
      if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return
      const key = event.key.toLowerCase()
      const redoKey = (key === 'z' && event.shiftKey) || key === 'y'
      if (redoKey && snapshot.canRedo) {
        event.preventDefault()
        void client.redo()
      } else if (key === 'z' && !event.shiftKey && snapshot.canUndo) {
        event.preventDefault()
        void client.undo()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [client, snapshot.canRedo, snapshot.canUndo, busy])
}
