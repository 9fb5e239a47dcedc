import { queryOptions } from '@tanstack/react-query'
import type { PackageClient } from './package-client.ts'

/**
 * The clean package's files for one package version, zipped or not. Cached by version so
 * the download and the upload use the same bytes without building them twice.
 */
export function cleanFilesQuery(client: PackageClient, version: number, zip: boolean) {
  return queryOptions({
    queryKey: ['clean-files', version, zip],
    queryFn: () => client.cleanFiles({ zip }),
    staleTime: Infinity,
    // Each entry holds up to 100 MB of Blob: let go soon after nobody shows it.
    gcTime: 30_000,
  })
}
