/** A key pressed on the row grid (not in the edit box). */
export interface KeyPress {
  key: string
  shift: boolean
  /** Ctrl, or ⌘ on a Mac. */
  command: boolean
  alt: boolean
}

/** What the grid knows when a key comes. */
export interface KeyContext {
  /** The active row's position in the view; null before one is picked. */
  active: number | null
  firstVisible: number
  /** Rows in the view. */
  count: number
  /** Rows a page key moves by. */
  pageRows: number
  /** Rows selected. */
  selected: number
}

export type RowCommand =
  /** Make `to` the active row; with `extend`, the rows at these two positions join the selection. */
  | { type: 'move'; to: number; extend: readonly [number, number] | null }
  | { type: 'edit'; position: number }
  | { type: 'delete'; position: number }
  | { type: 'delete-selected' }
  | { type: 'toggle'; position: number }
  | { type: 'select-all' }
  | { type: 'clear-selection' }
  | { type: 'problem'; direction: 1 | -1 }
  /** The key is the grid's, but there is nothing to do (Enter with no active row). */
  | { type: 'none' }

const COMMAND_KEYS = new Set(['a', 'A', 'Home', 'End'])

/**
 * The grid's keys, as a pure function: what a key press asks for, or null when the key is not
 * the grid's (the browser keeps it: Tab, Ctrl+C, Alt+anything, Escape with nothing selected).
 */
export function commandForKey(press: KeyPress, context: KeyContext): RowCommand | null {
  const { key, shift, command, alt } = press
  const { active, firstVisible, count, pageRows, selected } = context
  if (alt || (command && !COMMAND_KEYS.has(key))) return null
  const from = active ?? firstVisible
  const move = (to: number, extend: readonly [number, number] | null = null): RowCommand =>
    count === 0 ? { type: 'none' } : { type: 'move', to: clamp(to, count), extend }
  switch (key) {
    case 'ArrowDown':
    case 'ArrowUp': {
      // The first arrow press picks the first row in sight; later ones step from the active row.
      if (active === null) return move(from)
      const next = key === 'ArrowDown' ? active + 1 : active - 1
      return move(next, shift ? [active, clamp(next, count)] : null)
    }
    case 'PageDown':
      return move(from + pageRows)
    case 'PageUp':
      return move(from - pageRows)
    case 'Home':
      return move(0)
    case 'End':
      return move(count - 1)
    case 'Enter':
    case 'F2':
      return active === null ? { type: 'none' } : { type: 'edit', position: active }
    case 'Delete':
      if (selected > 0) return { type: 'delete-selected' }
      return active === null ? { type: 'none' } : { type: 'delete', position: active }
    case ' ':
      return active === null ? { type: 'none' } : { type: 'toggle', position: active }
    case 'a':
    case 'A':
      return command ? { type: 'select-all' } : null
    case 'Escape':
      return selected === 0 ? null : { type: 'clear-selection' }
    case 'n':
    case 'N':
      return { type: 'problem', direction: 1 }
    case 'p':
    case 'P':
      return { type: 'problem', direction: -1 }
    default:
      return null
  }
}

function clamp(position: number, count: number): number {
  return Math.min(Math.max(0, position), count - 1)
}
