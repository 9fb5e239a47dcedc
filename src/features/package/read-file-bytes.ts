/** Slices this large read as fast as one whole read, yet still let progress be told. */
const SLICE_BYTES = 16 * 1024 * 1024

/**
 * Reads a Blob into one buffer, a large slice at a time: `Blob.stream()` hands out 64 KB
 * chunks and measured ~4x slower than whole-slice `arrayBuffer()` reads in Chromium.
 */
export async function readFileBytes(
  file: Blob,
  onProgress: (read: number, total: number) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  const total = file.size
  if (total <= SLICE_BYTES) {
    const bytes = new Uint8Array(await file.arrayBuffer())
    onProgress(bytes.length, total)
    return bytes
  }
  const bytes = new Uint8Array(total)
  for (let offset = 0; offset < total; offset += SLICE_BYTES) {
    const slice = new Uint8Array(await file.slice(offset, offset + SLICE_BYTES).arrayBuffer())
    bytes.set(slice, offset)
    onProgress(offset + slice.length, total)
  }
  return bytes
}
