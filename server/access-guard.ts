import { logValue } from './log-value.ts'
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { signInSchema, type SessionInfo } from '../src/shared/tpns-shapes.ts'
import { sendJson } from './answer-shapes.ts'
import { createAttemptLimiter } from './attempt-limiter.ts'
import { decoyHash, verifyPassword } from './password-hash.ts'
import type { ServerLog } from './proxy-upload.ts'
import type { ServerEnv } from './server-env.ts'
import {
  createSessionSigner,
  hashFingerprint,
  newSessionId,
  readCookie,
  SESSION_COOKIE,
  SESSION_SECONDS,
  sessionCookie,
} from './session-cookie.ts'
import { clientAddress, requestScheme } from './trusted-proxies.ts'
import { openUserStore, userNameSchema, type UserStore } from './users-file.ts'

/** Who may use the server: nobody checked, signed-in users, or a trusted proxy's header. */
export interface AccessGuard {
  signIn: SessionInfo['signIn']
  /** Whether APIs answer 401 to a request without a user. */
  required: boolean
  /** The user a request comes from, or null. */
  userOf(req: IncomingMessage): Promise<string | null>
  /** POST /auth/login: answers 204 with a session cookie, 401, 429 or 400. */
  login(req: IncomingMessage, res: ServerResponse): Promise<void>
  /** POST /auth/logout: ends this session, answers 204. */
  logout(req: IncomingMessage, res: ServerResponse): Promise<void>
}

// Five wrong passwords for one user, or twenty from one address, in fifteen minutes: then 429
// until the oldest of them is fifteen minutes old.
const WINDOW_MS = 15 * 60 * 1000
const MAX_LOGIN_BODY = 4096
// Each check allocates 128 MiB for a few hundred ms: two at once, a short queue, then 503.
const HASHING_AT_ONCE = 2
const HASHING_QUEUE = 16

export async function createAccessGuard(env: ServerEnv, log: ServerLog): Promise<AccessGuard> {
  const users: UserStore | null =
    env.usersFile === null ? null : await openUserStore(env.usersFile, log)
  const secret = env.sessionSecret ?? randomBytes(32).toString('base64')
  const signer = createSessionSigner(secret)
  const byUser = createAttemptLimiter({ max: 5, windowMs: WINDOW_MS })
  const byAddress = createAttemptLimiter({ max: 20, windowMs: WINDOW_MS })
  // Ended sessions, until they would have expired anyway (one process; see decision 007).
  const ended = new Map<string, number>()
  const hashing = createSlots(HASHING_AT_ONCE, HASHING_QUEUE)

  const headerUser = (req: IncomingMessage): string | null => {
    if (env.trustedUserHeader === null || !env.trustedProxies.fromTrusted(req)) return null
    const value = req.headers[env.trustedUserHeader]
    const name = typeof value === 'string' ? value.trim() : ''
    return userNameSchema.safeParse(name).success ? name : null
  }

  const sessionUser = async (req: IncomingMessage): Promise<string | null> => {
    if (users === null) return null
    const value = readCookie(req.headers.cookie, SESSION_COOKIE)
    const now = Math.floor(Date.now() / 1000)
    const session = value === null ? null : signer.verify(value, now)
    if (session === null || (ended.get(session.sid) ?? 0) > now) return null
    const hash = await users.hashOf(session.u)
    return hash !== null && hashFingerprint(hash) === session.v ? session.u : null
  }

  const userOf = async (req: IncomingMessage) => headerUser(req) ?? (await sessionUser(req))

  const login = async (req: IncomingMessage, res: ServerResponse) => {
    if (users === null) {
      return sendJson(res, 404, { proxyError: 'not-found', message: 'Sign-in is not set up here.' })
    }
    const body = await readJsonBody(req, MAX_LOGIN_BODY)
    const parsed = signInSchema.safeParse(body)
    if (!parsed.success) {
      return sendJson(
        res,
        400,
        { proxyError: 'bad-request', message: 'Send JSON { "user", "password" }.' },
        req.complete ? {} : { Connection: 'close' },
      )
    }
    const { user, password } = parsed.data
    const address = clientAddress(req, env.trustedProxies)
    const now = Date.now()
    const wait = Math.max(byUser.blockedFor(user, now), byAddress.blockedFor(address, now))
    if (wait > 0) {
      log.warn(
        `tpns access: sign-in refused, too many failures (user ${logValue(user)}, from ${logValue(address)})`,
      )
      return sendJson(
        res,
        429,
        {
          proxyError: 'too-many-attempts',
          message: 'Too many failed sign-ins. Try again later.',
        },
        { 'Retry-After': String(Math.ceil(wait / 1000)) },
      )
    }
    // Counted as failed before the password is checked, so that attempts sent all at once
    // cannot each pass the check above before any of them is counted; taken back on success.
    byUser.fail(user, now)
    byAddress.fail(address, now)
    const release = hashing.acquire()
    if (release === null) {
      byUser.forgive(user)
      byAddress.forgive(address)
      return sendJson(
        res,
        503,
        { proxyError: 'busy', message: 'Too many sign-ins at once. Try again in a moment.' },
        { 'Retry-After': '2' },
      )
    }
    let hash: string | null
    let good: boolean
    try {
      await release.ready
      hash = await users.hashOf(user)
      good = await verifyPassword(password, hash ?? (await decoyHash()))
    } finally {
      release.done()
    }
    if (!good || hash === null) {
      log.warn(`tpns access: sign-in failed (user ${logValue(user)}, from ${logValue(address)})`)
      return sendJson(res, 401, {
        proxyError: 'sign-in-failed',
        message: 'Wrong user name or password.',
      })
    }
    byAddress.forgive(address)
    byUser.clear(user)
    const exp = Math.floor(Date.now() / 1000) + SESSION_SECONDS
    const value = signer.sign({ u: user, sid: newSessionId(), exp, v: hashFingerprint(hash) })
    const secure = requestScheme(req, env.trustedProxies) === 'https'
    log.info(`tpns access: signed in (user ${logValue(user)}, from ${logValue(address)})`)
    res.writeHead(204, {
      'Set-Cookie': sessionCookie(value, SESSION_SECONDS, secure),
      'Cache-Control': 'no-store',
    })
    res.end()
  }

  const logout = async (req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    const value = readCookie(req.headers.cookie, SESSION_COOKIE)
    const now = Math.floor(Date.now() / 1000)
    const session = value === null ? null : signer.verify(value, now)
    if (session !== null) {
      ended.set(session.sid, session.exp)
      for (const [sid, exp] of ended) if (exp <= now) ended.delete(sid)
      log.info(`tpns access: signed out (user ${logValue(session.u)})`)
    }
    const secure = requestScheme(req, env.trustedProxies) === 'https'
    res.writeHead(204, { 'Set-Cookie': sessionCookie('', 0, secure), 'Cache-Control': 'no-store' })
    res.end()
  }

  const signIn: SessionInfo['signIn'] =
    users !== null ? 'password' : env.trustedUserHeader !== null ? 'header' : 'none'
  return { signIn, required: signIn !== 'none', userOf, login, logout }
}

/** The JSON body, or undefined when it is not JSON or longer than `limit` (left unread). */
function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type)) return Promise.resolve(undefined)
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      chunks.push(chunk)
      if (size <= limit) return
      // Not read further: the answer says Connection: close (req.complete stays false).
      req.off('data', onData)
      req.pause()
      resolve(undefined)
    }
    req.on('data', onData)
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch {
        resolve(undefined)
      }
    })
    req.on('error', () => resolve(undefined))
  })
}

interface Slot {
  ready: Promise<void>
  done(): void
}

/** At most `size` holders at once, `queue` more waiting; null past that. */
function createSlots(size: number, queue: number): { acquire(): Slot | null } {
  let active = 0
  const waiting: Array<() => void> = []
  return {
    acquire() {
      if (active >= size && waiting.length >= queue) return null
      const ready =
        active < size
          ? (active++, Promise.resolve())
          : new Promise<void>((resolve) => waiting.push(resolve))
      let released = false
      return {
        ready,
        done() {
          if (released) return
          released = true
          const next = waiting.shift()
          if (next) next()
          else active--
        },
      }
    },
  }
}
