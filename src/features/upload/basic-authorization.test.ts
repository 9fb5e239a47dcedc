import { describe, expect, it } from 'vitest'
import { basicAuthorization } from './basic-authorization.ts'

describe('basicAuthorization', () => {
  it('encodes AccessID:SecretKey as TPNS expects', () => {
    expect(basicAuthorization('1500001234', 'abc123')).toBe(
      `Basic ${Buffer.from('1500001234:abc123').toString('base64')}`,
    )
  })

  it('encodes characters outside Latin-1 as UTF-8 instead of throwing', () => {
    expect(basicAuthorization('测试', 'ключ')).toBe(
      `Basic ${Buffer.from('测试:ключ', 'utf8').toString('base64')}`,
    )
  })
})
