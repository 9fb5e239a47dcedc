import { useState } from 'react'
import { ACCESS_POINTS, type RegionId } from '../../shared/access-points.ts'
import type { MessageKey } from '../../shared/i18n/en.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import type { TpnsConfig } from '../../shared/tpns-shapes.ts'
import { useTpnsConfig } from './api/get-tpns-config.ts'
import type { UploadSource } from './api/upload-package.ts'
import { basicAuthorization } from './basic-authorization.ts'
import { CredentialFields } from './credential-fields.tsx'
import { useCredentials } from './credentials-store.ts'
import { formatBytes } from '../../shared/format-bytes.ts'
import { initialRegion, rememberedRegion, rememberRegion } from './remembered-region.ts'
import { RegionSelect } from './region-select.tsx'
import { AppSelect } from './app-select.tsx'
import { chosenApp, rememberApp, rememberedApp } from './remembered-app.ts'
import { ReuploadDialog } from './reupload-dialog.tsx'
import { UploadError, UploadResults } from './upload-outcome.tsx'
import { UploadProgress } from './upload-progress.tsx'
import { useOnline } from './use-online.ts'
import type { EarlierUpload, RunTarget } from './upload-run-state.ts'
import { useUploadRun, type PackageList, type UploadRecord } from './use-upload-run.ts'
import './upload.css'

export interface UploadPanelProps {
  /** The package's version: a finished upload belongs to the version it sent. */
  version: number
  verdict: 'ready' | 'needs-fixes' | 'unreadable'
  kind: 'token' | 'account'
  /** Labels of the fixes applied, kept with each upload in the history. */
  fixes: readonly string[]
  /** The files the package was made of and the lists left out of it, for the history. */
  lists: { sources: readonly PackageList[]; exclusions: readonly PackageList[] }
  parts: ReadonlyArray<{ name: string; rows: number; bytes: number }>
  /** Whether the clean package goes up zipped (the clean-package panel owns that choice). */
  zip: boolean
  /** The clean package's files, one per part. */
  loadFiles: (options: { zip: boolean }) => Promise<UploadSource[]>
  /** Earlier uploads (the history), to warn before the same bytes go up again. */
  earlierUploads: readonly EarlierUpload[]
  /** Called once per uploaded part. */
  onUploaded: (record: UploadRecord) => unknown
}

// When /tpns/config cannot be read, the page still offers every access point and asks for
// credentials: the proxy may well work even if the config route does not.
const FALLBACK_CONFIG: TpnsConfig = {
  serverCredentials: false,
  accessId: null,
  regions: ACCESS_POINTS.map((point) => point.id),
  defaultRegion: 'sandbox',
  apps: [],
  user: null,
}

/** Uploads the clean package through the app's proxy to the chosen TPNS access point. */
export function UploadPanel(props: UploadPanelProps) {
  const { verdict, parts } = props
  const { t, formatNumber } = useI18n()
  const config = useTpnsConfig()
  const credentials = useCredentials()
  const online = useOnline()
  const [remembered] = useState(rememberedRegion)
  const [chosen, setChosen] = useState<RegionId | null>(null)
  const [lastApp] = useState(rememberedApp)
  const [chosenAppId, setChosenAppId] = useState<string | null>(null)
  const run = useUploadRun(props)
  const { state } = run

  const settings = config.data ?? (config.isError ? FALLBACK_CONFIG : null)
  // With the team's apps, an app is chosen; its access point and key come with it.
  const app = chosenApp(settings?.apps ?? [], chosenAppId, lastApp)
  const region =
    app?.region ?? chosen ?? (settings ? initialRegion(settings, remembered) : 'sandbox')
  const serverCredentials = settings?.serverCredentials === true
  const accessId =
    app?.accessId ?? (serverCredentials ? (settings?.accessId ?? '') : credentials.accessId.trim())
  const secretKey = credentials.secretKey.trim()
  const working =
    state.phase === 'preparing' || state.phase === 'confirming' || state.phase === 'uploading'
  const rows = parts.reduce((sum, part) => sum + part.rows, 0)

  let blocked: MessageKey | null = null
  if (verdict === 'needs-fixes') blocked = 'upload.blocked.needs-fixes'
  else if (verdict === 'unreadable') blocked = 'upload.blocked.unreadable'
  else if (rows === 0) blocked = 'upload.blocked.empty'
  else if (settings === null) blocked = 'upload.blocked.config'
  else if (!serverCredentials && (accessId === '' || secretKey === '')) {
    blocked = 'upload.blocked.credentials'
  }

  const target = (): RunTarget => ({
    region,
    accessId,
    authorization: serverCredentials ? undefined : basicAuthorization(accessId, secretKey),
    ...(app ? { app: { id: app.id, name: app.name } } : {}),
  })
  const upload = () => {
    if (blocked !== null || working) return
    if (app) rememberApp(app.id)
    else rememberRegion(region)
    run.start(target(), state.phase === 'failed' || state.phase === 'cancelled' ? state : undefined)
  }

  return (
    <section className="panel upload" aria-labelledby="upload-title" data-testid="upload-panel">
      <h2 id="upload-title" className="upload__title">
        {t('upload.title')}
      </h2>
      <p className="muted">{t('upload.intro')}</p>
      {!online && (
        <p className="notice notice--warn" role="status" data-testid="offline">
          {t('upload.offline')}
        </p>
      )}
      {config.isPending && <p className="upload__hint">{t('upload.config.loading')}</p>}
      {config.isError && (
        <p className="notice notice--warn" role="status">
          {t('upload.config.failed', { message: config.error.message })}{' '}
          <button
            type="button"
            className="button button--small"
            onClick={() => void config.refetch()}
          >
            {t('upload.config.retry')}
          </button>
        </p>
      )}

      <div className="upload__settings">
        {settings && app ? (
          <AppSelect
            apps={settings.apps}
            value={app}
            disabled={working}
            onChange={setChosenAppId}
          />
        ) : (
          <RegionSelect
            regions={settings?.regions ?? [region]}
            value={region}
            disabled={working || settings === null}
            onChange={setChosen}
          />
        )}
        {settings && serverCredentials && !app && (
          <p className="upload__server-credentials" data-testid="server-credentials">
            {t('upload.server-credentials', { accessId: settings.accessId ?? '—' })}
          </p>
        )}
        {settings && !serverCredentials && <CredentialFields region={region} disabled={working} />}
      </div>

      <p className="upload__hint">
        {parts.length > 1
          ? t('upload.parts', { count: parts.length, rows: formatNumber(rows) })
          : t('upload.one', {
              rows: formatNumber(rows),
              size: formatBytes(parts[0]?.bytes ?? 0),
            })}
      </p>
      <div className="upload__actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="upload"
          disabled={blocked !== null || working}
          aria-describedby={blocked ? 'upload-blocked' : undefined}
          onClick={upload}
        >
          {parts.length > 1
            ? t('upload.submit.parts', { count: parts.length })
            : t('upload.submit')}
        </button>
        {blocked && (
          <p id="upload-blocked" className="upload__hint" data-testid="upload-blocked">
            {t(blocked)}
          </p>
        )}
      </div>

      {state.phase === 'preparing' && (
        <p role="status" className="upload__hint">
          {t('upload.preparing')}
        </p>
      )}
      {state.phase === 'confirming' && (
        <ReuploadDialog repeats={state.repeats} onConfirm={run.confirm} onCancel={run.dismiss} />
      )}
      {state.phase === 'uploading' && (
        <>
          <UploadResults
            results={state.results}
            region={state.target.region}
            count={state.files.length}
          />
          <UploadProgress
            source={state.files[state.index]}
            index={state.index}
            count={state.files.length}
            region={state.target.region}
            progress={state.progress}
            retry={state.retry}
            onCancel={run.cancel}
          />
        </>
      )}
      {state.phase === 'succeeded' && (
        <UploadResults
          results={state.results}
          region={state.target.region}
          count={state.results.length}
        />
      )}
      {(state.phase === 'failed' || state.phase === 'cancelled') && (
        <>
          <UploadResults
            results={state.results}
            region={state.target.region}
            count={state.files.length}
          />
          {state.phase === 'cancelled' && (
            <p className="notice" role="status" data-testid="upload-cancelled">
              {t('upload.cancelled')}
            </p>
          )}
          {state.failure && (
            <UploadError
              failure={state.failure}
              region={state.target.region}
              partName={state.files[state.index]?.name ?? null}
              index={state.index}
              count={state.files.length}
              onRetry={upload}
              retryDisabled={blocked !== null}
            />
          )}
        </>
      )}
    </section>
  )
}
