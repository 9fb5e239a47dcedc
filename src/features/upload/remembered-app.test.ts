import { expect, test } from 'vitest'
import type { TpnsApp } from '../../shared/tpns-shapes.ts'
import { chosenApp } from './remembered-app.ts'

const android: TpnsApp = {
  id: 'shop-android',
  name: 'Shop – Android',
  region: 'guangzhou',
  accessId: '1',
}
const ios: TpnsApp = { id: 'shop-ios', name: 'Shop – iOS', region: 'singapore', accessId: '2' }

test('the chosen app, else the one used last, else the first; none without apps', () => {
  expect(chosenApp([android, ios], 'shop-ios', 'shop-android')).toBe(ios)
  expect(chosenApp([android, ios], null, 'shop-ios')).toBe(ios)
  expect(chosenApp([android, ios], null, 'shop-web')).toBe(android)
  expect(chosenApp([android, ios], 'gone', null)).toBe(android)
  expect(chosenApp([], 'shop-ios', 'shop-ios')).toBeNull()
})
