import { expect, test } from 'vitest'
import { basicAuthAccessId, basicAuthorization } from './basic-auth.ts'

test('basicAuthorization encodes AccessID:SecretKey', () => {
  expect(basicAuthorization('1500001234', 'abc')).toBe('Basic MTUwMDAwMTIzNDphYmM=')
})

test('basicAuthAccessId reads the AccessID of a well-formed header, any scheme case', () => {
  expect(basicAuthAccessId(basicAuthorization('1500001234', 'k'))).toBe('1500001234')
  expect(basicAuthAccessId(`basic ${Buffer.from('id:se:cret').toString('base64')}`)).toBe('id')
  expect(basicAuthAccessId(basicAuthorization('id', ''))).toBeNull()
  expect(basicAuthAccessId(basicAuthorization('', 'k'))).toBeNull()
  expect(basicAuthAccessId(undefined)).toBeNull()
  expect(basicAuthAccessId('Basic')).toBeNull()
  expect(basicAuthAccessId('Bearer MTUwMDAwMTIzNDphYmM=')).toBeNull()
})
