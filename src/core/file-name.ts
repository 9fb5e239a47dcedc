import { MAX_NAME_LENGTH, type PackageProblem } from './problem-codes.ts'

export type PackageFormat = 'zip' | 'txt' | 'csv'

/** The format a file name says, any letter case; null for anything else. */
export function formatOf(name: string): PackageFormat | null {
  const match = /\.(zip|txt|csv)$/i.exec(name)
  if (!match) return null
  const extension = match[1].toLowerCase()
  return extension === 'zip' || extension === 'txt' || extension === 'csv' ? extension : null
}

/** Characters as a person counts them (code points), not UTF-16 units. */
export function nameLength(name: string): number {
  return [...name].length
}

export function checkFileName(name: string): PackageProblem[] {
  const problems: PackageProblem[] = []
  const length = nameLength(name)
  if (length === 0 || length > MAX_NAME_LENGTH)
    problems.push({ code: 'name-length', count: length })
  if (formatOf(name) === null) problems.push({ code: 'extension', names: [extensionOf(name)] })
  return problems
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot <= 0 ? '' : name.slice(dot)
}

/** The base name without folders or extension, for naming the clean package. */
export function stemOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1)
  const dot = base.lastIndexOf('.')
  return dot <= 0 ? base : base.slice(0, dot)
}
