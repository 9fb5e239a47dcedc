import { en, type MessageKey } from './en.ts'

/**
 * The message for an account package where it has one of its own (`fix.all.account`: "…that
 * loses no account"), else the key itself: every text speaks of what the package holds.
 */
export function forKind(key: MessageKey, kind: 'token' | 'account'): MessageKey {
  // `row.length.what` has `row.length.account.what`; `fix.all` has `fix.all.account`.
  const variant = key.endsWith('.what')
    ? `${key.slice(0, -'.what'.length)}.account.what`
    : `${key}.account`
  return kind === 'account' && isMessageKey(variant) ? variant : key
}

function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(en, value)
}
