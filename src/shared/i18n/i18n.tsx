import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react'
import { z } from 'zod'
import { en, type MessageKey } from './en.ts'
import { zh } from './zh.ts'

export const LANGUAGES = ['en', 'zh'] as const
export type Language = (typeof LANGUAGES)[number]

const dictionaries = { en, zh }
const STORAGE_KEY = 'tpns.language'
const languageSchema = z.enum(LANGUAGES)

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

interface I18n {
  language: Language
  setLanguage: (language: Language) => void
  t: Translate
  /** Numbers with the language's separators. */
  formatNumber: (value: number) => string
}

const I18nContext = createContext<I18n | null>(null)

/** The remembered choice, else the browser's first language we speak, else English. */
export function initialLanguage(): Language {
  const stored = languageSchema.safeParse(safeStorageGet(STORAGE_KEY))
  if (stored.success) return stored.data
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0]
    const match = languageSchema.safeParse(base)
    if (match.success) return match.data
  }
  return 'en'
}

export function format(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  )
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage)
  const setLanguage = useCallback((next: Language) => {
    safeStorageSet(STORAGE_KEY, next)
    setLanguageState(next)
  }, [])
  const value = useMemo<I18n>(() => {
    const numbers = new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en-US')
    return {
      language,
      setLanguage,
      t: (key, values) => format(dictionaries[language][key], values),
      formatNumber: (number) => numbers.format(number),
    }
  }, [language, setLanguage])
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en'
  }, [language])
  return <I18nContext value={value}>{children}</I18nContext>
}

export function useI18n(): I18n {
  const context = use(I18nContext)
  if (!context) throw new Error('useI18n needs an I18nProvider')
  return context
}

// Storage can throw (private windows, disabled storage); the language is then not remembered.
function safeStorageGet(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function safeStorageSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Not remembered; the choice still holds for this page.
  }
}
