/**
 * A value from a request, made safe to print inside a log line: JSON-quoted, so that no line
 * break can start a forged line, and with every control character escaped as well, so that
 * none reaches a terminal. JSON.stringify alone leaves C1 controls (U+009B is a CSI on some
 * terminals), the line and paragraph separators and the bidirectional overrides raw. Cut at
 * `maxLength` characters: one header should not fill a log.
 */
export function logValue(value: string, maxLength = 200): string {
  const cut = value.length > maxLength ? `${value.slice(0, maxLength)}…` : value
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
