import { describe, expect, it } from 'vitest'
import { suggestedKind } from './kind-hint.ts'
import { distinctTokens, lines, utf8 } from './test-fixtures.ts'
import { validatePackage } from './validate-package.ts'

const tokens = distinctTokens(10, 3)
const accounts = ['alice', 'bob@example.com', '13800138000', 'user_42', 'zhang.san', 'li_si']

async function hintFor(rows: string[], kind: 'token' | 'account') {
  return suggestedKind(await validatePackage({ name: 'p.txt', bytes: utf8(lines(rows)), kind }))
}

describe('suggestedKind', () => {
  it('an account list checked as tokens: accounts', async () => {
    expect(await hintFor(accounts, 'token')).toBe('account')
  })

  it('tokens checked as accounts: tokens', async () => {
    expect(await hintFor(tokens, 'account')).toBe('token')
  })

  it('nothing when the kind fits, or the rows are mostly fine', async () => {
    expect(await hintFor(tokens, 'token')).toBeNull()
    expect(await hintFor(accounts, 'account')).toBeNull()
    expect(await hintFor([...tokens, 'bad', 'worse'], 'token')).toBeNull()
    expect(
      await hintFor(['token', ...tokens.slice(0, 3).map((t) => t.toUpperCase())], 'token'),
    ).toBeNull()
  })
})
