/**
 * Where the typed-array columns of a scan come from. New memory is slow the first time it is
 * touched (~3.3 ms/MB measured here, ~65 MB of columns for a 100 MB package), so a worker
 * may make a buffer ready while it waits for a file and have the columns carved out of it.
 */
export interface ColumnMemory {
  uint8(length: number): Uint8Array
  uint32(length: number): Uint32Array
  int32(length: number): Int32Array
}

export const freshColumns: ColumnMemory = {
  uint8: (length) => new Uint8Array(length),
  uint32: (length) => new Uint32Array(length),
  int32: (length) => new Int32Array(length),
}

/** Bytes a row takes in the columns of a scan and of its duplicate pass. */
const COLUMN_BYTES_PER_ROW =
  Uint32Array.BYTES_PER_ELEMENT * 2 + // start, length
  Uint8Array.BYTES_PER_ELEMENT + // codes
  Uint32Array.BYTES_PER_ELEMENT + // hashes
  Uint32Array.BYTES_PER_ELEMENT * 2 // the duplicate pass: rows and hashes by bucket

/** Column memory for a file of `size` bytes, split into rows of 32 bytes as LineSplitter sizes them. */
export function columnBytesFor(size: number): number {
  return (Math.ceil(size / 32) + 16) * COLUMN_BYTES_PER_ROW + 64
}

/**
 * Columns carved one after another out of `buffer`, which must be all zeros and given to
 * nothing else: each piece is handed out once, so it starts zeroed like new memory. When the
 * buffer runs out, columns are new memory.
 */
export function carvedColumns(buffer: ArrayBuffer): ColumnMemory {
  let used = 0
  const carve = <T>(bytes: number, make: (offset: number) => T, fresh: () => T): T => {
    if (used + bytes > buffer.byteLength) return fresh()
    const offset = used
    // Eight-byte steps keep every piece aligned for any element size.
    used += Math.ceil(bytes / 8) * 8
    return make(offset)
  }
  return {
    uint8: (length) =>
      carve(
        length,
        (offset) => new Uint8Array(buffer, offset, length),
        () => new Uint8Array(length),
      ),
    uint32: (length) =>
      carve(
        length * 4,
        (offset) => new Uint32Array(buffer, offset, length),
        () => new Uint32Array(length),
      ),
    int32: (length) =>
      carve(
        length * 4,
        (offset) => new Int32Array(buffer, offset, length),
        () => new Int32Array(length),
      ),
  }
}
