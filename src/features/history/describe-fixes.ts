import { isFixId } from '../../core/package-session.ts'
import type { Translate } from '../../shared/i18n/i18n.tsx'

/**
 * The changes a history entry's package went through, in words in the page's language: the
 * entry keeps them as labels (`fix-all`, `delete-3`, `kind-account`, `edit`), so that an entry
 * saved in one language reads in the other.
 */
export function describeFixes(labels: readonly string[], t: Translate): string {
  return labels.map((label) => describeFix(label, t)).join('; ')
}

const LIST_LABELS = [
  'add-source',
  'add-column',
  'remove-source',
  'exclude',
  'remove-exclusion',
] as const

function isListLabel(label: string): label is (typeof LIST_LABELS)[number] {
  return (LIST_LABELS as readonly string[]).includes(label)
}

function describeFix(label: string, t: Translate): string {
  const fix = /^fix-(.+)$/.exec(label)?.[1]
  if (fix !== undefined && isFixId(fix)) return t(`fix.${fix}`)
  const deleted = /^delete-(\d+)$/.exec(label)?.[1]
  if (deleted !== undefined) return t('history.fix.delete', { count: Number(deleted) })
  if (label === 'edit') return t('history.fix.edit')
  if (label === 'kind-account') return t('history.fix.kind-account')
  if (label === 'kind-token') return t('history.fix.kind-token')
  if (isListLabel(label)) return t(`history.fix.${label}`)
  // A label from a later version of the page: shown as it was saved.
  return label
}
