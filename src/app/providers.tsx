import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useEffect, useState, type ReactNode } from 'react'
import { createPackageClient } from '../features/package/package-client.ts'
import { PackageClientContext } from '../features/package/use-package.ts'
import { I18nProvider } from '../shared/i18n/i18n.tsx'

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(() => new QueryClient())
  const [packageClient] = useState(() => createPackageClient())
  // The first file's workers load while the page waits for it, not after it is dropped.
  useEffect(() => packageClient.prepare(), [packageClient])
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <PackageClientContext value={packageClient}>{children}</PackageClientContext>
      </I18nProvider>
    </QueryClientProvider>
  )
}
