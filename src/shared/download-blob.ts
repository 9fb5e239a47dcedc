/** Saves a Blob as a file through a temporary object URL. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started from the URL by now; a later revoke frees the Blob's memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
