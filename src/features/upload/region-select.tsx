import { findAccessPoint, isRegionId, type RegionId } from '../../shared/access-points.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'

interface RegionSelectProps {
  regions: readonly RegionId[]
  value: RegionId
  onChange: (region: RegionId) => void
  disabled: boolean
}

/** The access point chooser; its values are the region ids, its names in the user's language. */
export function RegionSelect({ regions, value, onChange, disabled }: RegionSelectProps) {
  const { t, language } = useI18n()
  return (
    <div className="upload__field">
      <label htmlFor="upload-region">{t('upload.region')}</label>
      <select
        id="upload-region"
        data-testid="region"
        value={value}
        disabled={disabled}
        aria-describedby="upload-region-hint"
        onChange={(event) => {
          const next = event.currentTarget.value
          if (isRegionId(next)) onChange(next)
        }}
      >
        {regions.map((id) => (
          <option key={id} value={id}>
            {findAccessPoint(id).name[language]}
          </option>
        ))}
      </select>
      <p id="upload-region-hint" className="upload__hint">
        {t('upload.region.hint')}
      </p>
    </div>
  )
}
