/** A row being edited in place. */
export interface Editing {
  /** The package version the edit began in; another version ends it unsaved. */
  version: number
  position: number
  /** The row's index among the package's rows: what the edit names. */
  index: number
  original: string
  draft: string
}

export interface KeptEdit {
  row: number
  value: string
}

export interface EditState {
  editing: Editing | null
  /** Finished edits waiting to be sent to the package, oldest first. */
  kept: readonly KeptEdit[]
}

export type EditEvent =
  | { type: 'start'; version: number; position: number; index: number; value: string }
  | { type: 'draft'; draft: string }
  /** Enter, Tab, a click elsewhere, the row scrolled away: the edit is kept. */
  | { type: 'keep' }
  /** Escape: the edit is dropped. */
  | { type: 'cancel' }
  /** The first `count` kept edits were handed to the package. */
  | { type: 'sent'; count: number }

export const NO_EDIT: EditState = { editing: null, kept: [] }

/**
 * Editing a row as a pure reducer. Leaving the row in any way but Escape keeps the edit, and
 * an edit is kept once: Enter, then the blur that moving the focus causes, keep one edit.
 */
export function nextEditState(state: EditState, event: EditEvent): EditState {
  switch (event.type) {
    case 'start': {
      const { version, position, index, value } = event
      const editing = { version, position, index, original: value, draft: value }
      return { editing, kept: keep(state) }
    }
    case 'draft':
      if (state.editing === null) return state
      return { ...state, editing: { ...state.editing, draft: event.draft } }
    case 'keep':
      return state.editing === null ? state : { editing: null, kept: keep(state) }
    case 'cancel':
      return state.editing === null ? state : { ...state, editing: null }
    case 'sent':
      return event.count === 0 ? state : { ...state, kept: state.kept.slice(event.count) }
  }
}

/** The kept edits with the one being left added, unless nothing in it changed. */
function keep(state: EditState): readonly KeptEdit[] {
  const { editing } = state
  if (editing === null || editing.draft === editing.original) return state.kept
  return [...state.kept, { row: editing.index, value: editing.draft }]
}
