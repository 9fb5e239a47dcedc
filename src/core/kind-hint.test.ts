import { describe, expect, it } from 'vitest'
import { suggestedKind } from './kind-hint.ts'
import { currentState, perform, startSession } from './package-session.ts'
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

describe('suggestedKind, for tokens behind another column', () => {
  const [a, b] = tokens
  it('a tab-separated export read as accounts: tokens', async () => {
    const rows = ['name\ttoken', `x\t${a}`, `y\t${b}`]
    expect(await hintFor(rows, 'account')).toBe('token')
    expect(await hintFor([`${a},x`, `${b},y`], 'account')).toBe('token')
    expect(await hintFor([`"Smith, J";"${a}"`, `Li;${b}`], 'account')).toBe('token')
  })

  it('still, once fix-all has kept the account column', async () => {
    const text = lines(['name\ttoken', `x\t${a}`, `y\t${b}`])
    const read = await validatePackage({ name: 'p.txt', bytes: utf8(text), kind: 'account' })
    const fixed = currentState(perform(startSession(read), { type: 'fix', fix: 'all' }))
    expect(fixed.store.fullLength).toBeNull()
    expect(suggestedKind(fixed)).toBe('token')
  })

  it('nothing for accounts that hold separators', async () => {
    expect(await hintFor(['Smith, John', 'Li; Si', 'a|b', 'x\ty'], 'account')).toBeNull()
  })
})
