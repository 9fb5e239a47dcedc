/** Saves text as a file through a temporary object URL. */
export function downloadText(text: string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started from the URL by now; a later revoke frees the memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
