import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

// OWASP's floor for scrypt: N=2^17, r=8, p=1 (128 MiB and a few hundred ms per hash), so that
// a stolen users file costs an attacker as much per guess. The parameters are stored with each
// hash: raising them later leaves the old hashes readable.
const COST = { N: 2 ** 17, r: 8, p: 1 }
const KEY_BYTES = 32
const SALT_BYTES = 16
// A doctored file must not make one sign-in allocate gigabytes.
const MAX_N = 2 ** 20

function derive(password: string, salt: Buffer, cost: typeof COST): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

/** `scrypt$N$r$p$salt$key` (base64): a slow, salted hash; the password is not in it. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, COST)
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join(
    '$',
  )
}

const HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+=*)\$([A-Za-z0-9+/]+=*)$/

/** Whether the text is a hash this module can check. */
export function isPasswordHash(text: string): boolean {
  const match = HASH_PATTERN.exec(text)
  if (!match) return false
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])]
  return N >= 2 && N <= MAX_N && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16
}

/** Whether `password` gives `hash`; compared in constant time. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const match = HASH_PATTERN.exec(hash)
  if (!match || !isPasswordHash(hash)) return false
  const cost = { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) }
  const expected = Buffer.from(match[5], 'base64')
  const key = await derive(password, Buffer.from(match[4], 'base64'), cost)
  return key.length === expected.length && timingSafeEqual(key, expected)
}

// Checked against when the user name is unknown, so that a wrong name takes as long as a
// wrong password and the timing does not say which names exist.
let decoy: Promise<string> | null = null
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'))
  return decoy
}
