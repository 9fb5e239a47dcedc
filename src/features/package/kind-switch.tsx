import type { PackageKind } from '../../core/problem-codes.ts'
import { useI18n } from '../../shared/i18n/i18n.tsx'

const KINDS: PackageKind[] = ['token', 'account']

/** Token or account package: TPNS takes both at the same endpoint, with different row rules. */
export function KindSwitch({
  kind,
  suggested,
  setsAside,
  onChange,
}: {
  kind: PackageKind
  /** The other kind, when most rows of the open package look like it. */
  suggested: PackageKind | null
  /** The open package has fixes or edits, which a change of kind sets aside. */
  setsAside: boolean
  onChange: (kind: PackageKind) => void
}) {
  const { t } = useI18n()
  return (
    <>
      {suggested !== null && suggested !== kind && (
        <p className="notice kind-hint" role="status" data-testid="kind-hint">
          {t(`kind.hint.${suggested}`)}{' '}
          <button
            type="button"
            className="button button--small"
            onClick={() => onChange(suggested)}
          >
            {t(`kind.hint.switch.${suggested}`)}
          </button>
        </p>
      )}
      <fieldset className="segmented" data-testid="kind">
        <legend className="segmented__legend">{t('kind.label')}</legend>
        {KINDS.map((option) => (
          <label key={option} className="segmented__option">
            <input
              type="radio"
              name="package-kind"
              value={option}
              checked={kind === option}
              onChange={() => onChange(option)}
            />
            <span>{t(`kind.${option}`)}</span>
          </label>
        ))}
      </fieldset>
      {setsAside && (
        <p className="muted" data-testid="kind-rereads">
          {t('kind.rereads')}
        </p>
      )}
    </>
  )
}
