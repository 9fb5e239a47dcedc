import { describe, expect, test } from 'vitest'
import { DEFAULT_SANDBOX_MAX_BYTES, readSandboxEnv } from './sandbox-env.ts'

describe('readSandboxEnv', () => {
  test('TPNS_SANDBOX_MAX_BYTES: 2 GiB unless set; empty counts as unset', () => {
    expect(DEFAULT_SANDBOX_MAX_BYTES).toBe(2_147_483_648)
    expect(readSandboxEnv({})).toEqual({ maxBytes: DEFAULT_SANDBOX_MAX_BYTES })
    expect(readSandboxEnv({ TPNS_SANDBOX_MAX_BYTES: ' ' })).toEqual({
      maxBytes: DEFAULT_SANDBOX_MAX_BYTES,
    })
    expect(readSandboxEnv({ TPNS_SANDBOX_MAX_BYTES: '500000000' })).toEqual({
      maxBytes: 500_000_000,
    })
  })

  test.each(['lots', '-1', '0', '2.5', '1e400'])(
    'TPNS_SANDBOX_MAX_BYTES=%s is refused, naming the variable and the rule but not the value',
    (value) => {
      const read = () => readSandboxEnv({ TPNS_SANDBOX_MAX_BYTES: value })
      expect(read).toThrow('TPNS_SANDBOX_MAX_BYTES: must be a whole number of bytes, at least 1')
      expect(read).not.toThrow(value)
    },
  )
})
