/**
 * Package bytes may live in a SharedArrayBuffer: a worker reads the file into it while
 * another checks the rows. TextDecoder, DecompressionStream and jszip refuse shared memory,
 * so what they are given goes through `unshared` first.
 */
export function isShared(bytes: Uint8Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer
}

/** The bytes themselves when they are not shared; else a copy that is not. */
export function unshared(bytes: Uint8Array): Uint8Array {
  // slice() makes its copy with a new ArrayBuffer, never a shared one.
  return isShared(bytes) ? bytes.slice() : bytes
}
