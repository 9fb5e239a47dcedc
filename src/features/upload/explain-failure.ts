import { findAccessPoint, type RegionId } from '../../shared/access-points.ts'
import type { Language, Translate } from '../../shared/i18n/i18n.tsx'
import type { UploadFailure } from './api/upload-package.ts'

/** The retCodes TPNS documents for its server API (see TPNS.md); each has a message here. */
export const DOCUMENTED_RET_CODES = [
  1008001, 1008002, 1008003, 1008004, 1008007, 1008011, 1008012, 1008028, 1008030, 1008031,
  10030002,
] as const
type DocumentedRetCode = (typeof DOCUMENTED_RET_CODES)[number]

const PROXY_CODES = [
  'unreachable',
  'timeout',
  'too-large',
  'not-json',
  'bad-shape',
  'redirect',
  'not-found',
  'method-not-allowed',
  'cross-origin',
  'unauthenticated',
  'busy',
] as const
type KnownProxyCode = (typeof PROXY_CODES)[number]

function isDocumentedRetCode(code: number): code is DocumentedRetCode {
  return DOCUMENTED_RET_CODES.some((known) => known === code)
}

function isKnownProxyCode(code: string): code is KnownProxyCode {
  return PROXY_CODES.some((known) => known === code)
}

export interface Explanation {
  /** What went wrong, in the user's language. */
  reason: string
  /** What the server or TPNS said itself, verbatim, when it said something. */
  said: string | null
}

/** Says why an upload failed, in the user's language, with what TPNS or the proxy said. */
export function explainFailure(
  failure: UploadFailure,
  region: RegionId,
  t: Translate,
  language: Language,
): Explanation {
  const place = findAccessPoint(region).name[language]
  switch (failure.kind) {
    case 'tpns': {
      const meaning = isDocumentedRetCode(failure.retCode)
        ? t(`upload.retCode.${failure.retCode}`)
        : t('upload.retCode.unknown')
      return {
        reason: meaning,
        said: t('upload.error.ret-code', {
          retCode: failure.retCode,
          errMsg: failure.errMsg || '—',
        }),
      }
    }
    case 'proxy': {
      const reason = isKnownProxyCode(failure.code)
        ? t(`upload.proxy.${failure.code}`, {
            region: place,
            upstreamStatus: failure.upstreamStatus ?? '?',
          })
        : t('upload.proxy.unknown')
      return { reason, said: t('upload.error.server-said', { message: failure.message }) }
    }
    case 'http':
      return { reason: t('upload.failure.http', { status: failure.status }), said: null }
    case 'bad-answer':
      return { reason: t('upload.failure.bad-answer', { status: failure.status }), said: null }
    case 'network':
      return { reason: t('upload.failure.network'), said: null }
    case 'offline':
      return { reason: t('upload.failure.offline'), said: null }
  }
}
