import { useI18n, type Language } from './i18n.tsx'

const NAMES: Record<Language, string> = { en: 'English', zh: '简体中文' }

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n()
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language.label')}</span>
      <select
        data-testid="language"
        value={language}
        onChange={(event) => setLanguage(event.currentTarget.value === 'zh' ? 'zh' : 'en')}
      >
        {Object.entries(NAMES).map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  )
}
