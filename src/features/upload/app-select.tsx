import { findAccessPoint } from '../../shared/access-points.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'
import type { TpnsApp } from '../../shared/tpns-shapes.ts'

interface AppSelectProps {
  apps: readonly TpnsApp[]
  value: TpnsApp
  onChange: (id: string) => void
  disabled: boolean
}

/** The team's apps, when the server holds them: an app brings its access point and key. */
export function AppSelect({ apps, value, onChange, disabled }: AppSelectProps) {
  const { t, language } = useI18n()
  return (
    <div className="upload__field">
      <label htmlFor="upload-app">{t('upload.app')}</label>
      <select
        id="upload-app"
        data-testid="app"
        value={value.id}
        disabled={disabled}
        aria-describedby="upload-app-hint"
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {apps.map((app) => (
          <option key={app.id} value={app.id}>
            {app.name}
          </option>
        ))}
      </select>
      <p id="upload-app-hint" className="upload__hint" data-testid="server-credentials">
        {t('upload.app.uses', {
          region: findAccessPoint(value.region).name[language],
          accessId: value.accessId,
        })}
      </p>
    </div>
  )
}
