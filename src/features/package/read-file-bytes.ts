/** Reads a Blob into one buffer through its stream, so progress can be told as bytes arrive. */
export async function readFileBytes(
  file: Blob,
  onProgress: (read: number, total: number) => void,
): Promise<Uint8Array> {
  const total = file.size
  const bytes = new Uint8Array(total)
  const reader = file.stream().getReader()
  let read = 0
  let lastReport = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (read + value.length > total) throw new Error('The file changed while it was being read.')
    bytes.set(value, read)
    read += value.length
    // A report per chunk would flood the page with messages: one per 4 MB is enough.
    if (read - lastReport >= 4 * 1024 * 1024) {
      lastReport = read
      onProgress(read, total)
    }
  }
  onProgress(read, total)
  return read === total ? bytes : bytes.subarray(0, read)
}
