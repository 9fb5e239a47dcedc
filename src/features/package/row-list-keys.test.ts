import { describe, expect, it } from 'vitest'
import { commandForKey, type KeyContext, type KeyPress } from './row-list-keys.ts'

const context: KeyContext = { active: 5, firstVisible: 2, count: 10, pageRows: 4, selected: 0 }
const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shift: false,
  command: false,
  alt: false,
  ...more,
})
const command = (key: string, more: Partial<KeyPress> = {}, at: Partial<KeyContext> = {}) =>
  commandForKey(press(key, more), { ...context, ...at })

describe('row list keys', () => {
  it('arrows step from the active row, and the first press picks the first row in sight', () => {
    expect(command('ArrowDown')).toEqual({ type: 'move', to: 6, extend: null })
    expect(command('ArrowUp')).toEqual({ type: 'move', to: 4, extend: null })
    expect(command('ArrowDown', {}, { active: null })).toEqual({
      type: 'move',
      to: 2,
      extend: null,
    })
  })

  it('moves stay inside the view', () => {
    expect(command('ArrowDown', {}, { active: 9 })).toMatchObject({ to: 9 })
    expect(command('PageUp', {}, { active: 1 })).toMatchObject({ to: 0 })
    expect(command('PageDown')).toMatchObject({ to: 9 })
    expect(command('Home')).toMatchObject({ to: 0 })
    expect(command('End')).toMatchObject({ to: 9 })
    expect(command('End', { command: true })).toMatchObject({ to: 9 })
    expect(command('End', {}, { count: 0, active: null })).toEqual({ type: 'none' })
  })

  it('Shift+arrow adds the row left and the row reached to the selection', () => {
    expect(command('ArrowDown', { shift: true })).toEqual({ type: 'move', to: 6, extend: [5, 6] })
    expect(command('ArrowUp', { shift: true }, { active: 0 })).toEqual({
      type: 'move',
      to: 0,
      extend: [0, 0],
    })
  })

  it('Enter and F2 edit, Space toggles, Delete deletes the selection or the active row', () => {
    expect(command('Enter')).toEqual({ type: 'edit', position: 5 })
    expect(command('F2')).toEqual({ type: 'edit', position: 5 })
    expect(command('Enter', {}, { active: null })).toEqual({ type: 'none' })
    expect(command(' ')).toEqual({ type: 'toggle', position: 5 })
    expect(command('Delete')).toEqual({ type: 'delete', position: 5 })
    expect(command('Delete', {}, { selected: 3 })).toEqual({ type: 'delete-selected' })
  })

  it('Ctrl/⌘+A selects all; Escape clears a selection, else it is not the grid’s', () => {
    expect(command('a', { command: true })).toEqual({ type: 'select-all' })
    expect(command('a')).toBeNull()
    expect(command('Escape', {}, { selected: 2 })).toEqual({ type: 'clear-selection' })
    expect(command('Escape')).toBeNull()
  })

  it('N and P go to the next and previous problem', () => {
    expect(command('n')).toEqual({ type: 'problem', direction: 1 })
    expect(command('P')).toEqual({ type: 'problem', direction: -1 })
  })

  it('leaves the browser its own keys: Tab, Alt+anything, Ctrl+C', () => {
    expect(command('Tab')).toBeNull()
    expect(command('ArrowDown', { alt: true })).toBeNull()
    expect(command('c', { command: true })).toBeNull()
  })
})
