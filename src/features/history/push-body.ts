import type { RegionId } from '../../shared/access-points.ts'
import { findAccessPoint } from '../../shared/access-points.ts'

export const PUSH_PATH = '/v3/push/app'

export interface PushBody {
  audience_type: 'package_token_push' | 'package_account_push'
  upload_id: number
  message_type: 'notify'
  message: { title: string; content: string }
}

/** The /v3/push/app body that pushes to an uploaded package (iOS also needs "environment"). */
export function pushBody(
  entry: { uploadId: number; kind: 'token' | 'account' },
  message: { title: string; content: string },
): PushBody {
  return {
    audience_type: entry.kind === 'account' ? 'package_account_push' : 'package_token_push',
    upload_id: entry.uploadId,
    message_type: 'notify',
    message,
  }
}

/** Where the push goes: the same access point the package went to; null for the sandbox. */
export function pushUrl(region: RegionId): string | null {
  const { baseUrl } = findAccessPoint(region)
  return baseUrl === null ? null : baseUrl + PUSH_PATH
}
