import type { RegionId } from '../../shared/access-points.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import { setCredentials, useCredentials } from './credentials-store.ts'

/**
 * AccessID and SecretKey, for a server that holds no credentials. Deliberately not a <form>:
 * nothing here can ever be submitted into a URL, and no password manager is invited in.
 */
export function CredentialFields({ region, disabled }: { region: RegionId; disabled: boolean }) {
  const { t } = useI18n()
  const credentials = useCredentials()
  return (
    <fieldset className="upload__credentials" disabled={disabled}>
      <legend>{t('upload.credentials')}</legend>
      <p className="upload__hint" id="upload-credentials-hint">
        {region === 'sandbox' ? t('upload.credentials.sandbox') : t('upload.credentials.hint')}
      </p>
      <div className="upload__credential-row">
        <div className="upload__field">
          <label htmlFor="upload-access-id">{t('upload.access-id')}</label>
          <input
            id="upload-access-id"
            data-testid="access-id"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="upload-credentials-hint"
            value={credentials.accessId}
            onChange={(event) =>
              setCredentials({ ...credentials, accessId: event.currentTarget.value })
            }
          />
        </div>
        <div className="upload__field">
          <label htmlFor="upload-secret-key">{t('upload.secret-key')}</label>
          <input
            id="upload-secret-key"
            data-testid="secret-key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="upload-credentials-hint"
            value={credentials.secretKey}
            onChange={(event) =>
              setCredentials({ ...credentials, secretKey: event.currentTarget.value })
            }
          />
        </div>
      </div>
      <label className="upload__check">
        <input
          type="checkbox"
          data-testid="remember-credentials"
          checked={credentials.rememberInTab}
          aria-describedby="upload-remember-hint"
          onChange={(event) =>
            setCredentials({ ...credentials, rememberInTab: event.currentTarget.checked })
          }
        />
        {t('upload.remember')}
      </label>
      <p className="upload__hint" id="upload-remember-hint">
        {t('upload.remember.hint')}
      </p>
    </fieldset>
  )
}
