/** Byte classes for the row scanner: one table lookup per byte instead of branches. */
export const LOWER_HEX = 1
export const UPPER_HEX = 2
export const PRINTABLE = 4
export const CONTROL = 8
export const HIGH = 16

export const BYTE_CLASS = buildClasses()

/** ASCII lowercase; other bytes unchanged. Duplicates compare through it. */
export const LOWER_BYTE = buildLower()

export const SPACE = 0x20
export const TAB = 0x09
export const LF = 0x0a
export const CR = 0x0d
export const COMMA = 0x2c
export const QUOTE = 0x22

function buildClasses(): Uint8Array {
  const classes = new Uint8Array(256)
  for (let byte = 0; byte < 256; byte++) {
    if (byte < 0x20 || byte === 0x7f) classes[byte] = CONTROL
    else if (byte >= 0x80) classes[byte] = HIGH
    else if ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66))
      classes[byte] = LOWER_HEX
    else if (byte >= 0x41 && byte <= 0x46) classes[byte] = UPPER_HEX
    else classes[byte] = PRINTABLE
  }
  return classes
}

function buildLower(): Uint8Array {
  const lower = new Uint8Array(256)
  for (let byte = 0; byte < 256; byte++) {
    lower[byte] = byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte
  }
  return lower
}
