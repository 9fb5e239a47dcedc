import { createContext, use, useSyncExternalStore } from 'react'
import type { PackageClient, PackageStatus } from './package-client.ts'

export const PackageClientContext = createContext<PackageClient | null>(null)

export function usePackageClient(): PackageClient {
  const client = use(PackageClientContext)
  if (!client) throw new Error('usePackageClient needs a PackageClientContext provider')
  return client
}

export function usePackageStatus(): PackageStatus {
  const client = usePackageClient()
  return useSyncExternalStore(client.subscribe, client.getStatus)
}
