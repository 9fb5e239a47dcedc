import { describe, expect, it } from 'vitest'
import { forKind } from './for-kind.ts'

describe('forKind', () => {
  it('an account package gets its own text where there is one', () => {
    expect(forKind('row.length.what', 'account')).toBe('row.length.account.what')
    expect(forKind('row.duplicate.what', 'account')).toBe('row.duplicate.account.what')
    expect(forKind('fix.all', 'account')).toBe('fix.all.account')
    expect(forKind('fix.invalid.confirm.savable', 'account')).toBe(
      'fix.invalid.confirm.savable.account',
    )
  })

  it('else, and for tokens, the text itself', () => {
    expect(forKind('row.blank.what', 'account')).toBe('row.blank.what')
    expect(forKind('fix.all', 'token')).toBe('fix.all')
    expect(forKind('row.length.what', 'token')).toBe('row.length.what')
  })
})
