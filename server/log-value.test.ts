import { describe, expect, test } from 'vitest'
import { logValue } from './log-value.ts'

describe('logValue', () => {
  test('quotes a value, and leaves plain text readable', () => {
    expect(logValue('1500001234')).toBe('"1500001234"')
    expect(logValue('测试-id')).toBe('"测试-id"')
  })

  test.each([
    ['a line break that would start a forged line', 'id\nINFO forged', '"id\\nINFO forged"'],
    ['a carriage return', 'id\rX', '"id\\rX"'],
    ['an ANSI escape', '\u001b[31mred', '"\\u001b[31mred"'],
    ['a C1 CSI', '\u009b31m', '"\\u009b31m"'],
    ['DEL', 'a\u007fb', '"a\\u007fb"'],
    ['a line separator', 'a\u2028b', '"a\\u2028b"'],
    ['a right-to-left override', 'a\u202eb', '"a\\u202eb"'],
    ['a quote and a backslash', 'a"b\\c', '"a\\"b\\\\c"'],
  ])('escapes %s', (_name, value, logged) => {
    expect(logValue(value)).toBe(logged)
  })

  test('cuts a long value', () => {
    expect(logValue('x'.repeat(500), 10)).toBe(`"${'x'.repeat(10)}…"`)
  })
})
