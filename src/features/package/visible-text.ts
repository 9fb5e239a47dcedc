/** What a piece of a value is, so the list can mark the characters one cannot see. */
export type SegmentKind = 'text' | 'space' | 'tab' | 'control' | 'invisible'

export interface Segment {
  kind: SegmentKind
  /** What to draw: the text itself, or a visible stand-in for characters one cannot see. */
  shown: string
  /** The characters the segment stands for. */
  source: string
}

/** Longest value drawn in full; past it the rest is cut (a token has 36 characters). */
export const MAX_SHOWN_LENGTH = 200

// Characters with no glyph or no width that would hide why a row is flagged, as code point ranges.
const INVISIBLE: ReadonlyArray<readonly [number, number]> = [
  [0x00a0, 0x00a0],
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180e, 0x180e],
  [0x2000, 0x200f],
  [0x2028, 0x202f],
  [0x205f, 0x206f],
  [0x3000, 0x3000],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
]

function isInvisible(code: number): boolean {
  return INVISIBLE.some(([from, to]) => code >= from && code <= to)
}

/**
 * Splits a value into segments to draw as text: leading and trailing spaces become `·`,
 * tabs `→` anywhere, control characters their Unicode control picture (or `⍰`), and
 * invisible or zero-width characters their code point, so a reader sees why a row is flagged.
 */
export function visibleSegments(value: string, maxLength = MAX_SHOWN_LENGTH): Segment[] {
  const text = value.length > maxLength ? value.slice(0, maxLength) : value
  const leading = text.length - text.trimStart().length
  const trailingStart = text.trimEnd().length
  const segments: Segment[] = []
  const push = (kind: SegmentKind, shown: string, source: string) => {
    const last = segments.at(-1)
    if (last && last.kind === kind && kind !== 'invisible' && kind !== 'control') {
      last.shown += shown
      last.source += source
    } else {
      segments.push({ kind, shown, source })
    }
  }
  let offset = 0
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    const edge = offset < leading || offset >= trailingStart
    if (char === '\t') push('tab', '→', char)
    else if (char === ' ' && edge) push('space', '·', char)
    else if (code < 0x20 || code === 0x7f) push('control', controlPicture(code), char)
    else if (code >= 0x80 && code < 0xa0) push('control', '⍰', char)
    else if (isInvisible(code)) push('invisible', `U+${hex(code)}`, char)
    else push('text', char, char)
    offset += char.length
  }
  if (text.length < value.length) push('text', '…', '')
  return segments
}

function controlPicture(code: number): string {
  return code === 0x7f ? '␡' : String.fromCodePoint(0x2400 + code)
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0')
}
