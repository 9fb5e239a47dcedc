import { z } from 'zod'
import { isRegionId, type RegionId } from '../../shared/access-points.ts'

const regionIdSchema = z.custom<RegionId>(
  (value) => typeof value === 'string' && isRegionId(value),
  'unknown access point',
)

/** A file that made the package, or a list left out of it, with its rows as read. */
const listSchema = z.object({ name: z.string(), rows: z.int().nonnegative() })
export type ListSummary = z.infer<typeof listSchema>

/** One uploaded package, as the history stores it. Parsed again every time it is read. */
export const historyEntrySchema = z.object({
  id: z.string().min(1),
  uploadId: z.int().positive(),
  region: regionIdSchema,
  accessId: z.string(),
  fileName: z.string(),
  rows: z.int().nonnegative(),
  bytes: z.int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  uploadedAt: z.iso.datetime(),
  /** Labels of the fixes applied before the upload. */
  fixes: z.array(z.string()),
  kind: z.enum(['token', 'account']),
  /** The files the package was made of; entries kept before lists could be merged have none. */
  sources: z.array(listSchema).default([]),
  /** The exclusion lists left out of it. */
  exclusions: z.array(listSchema).default([]),
  /** The server's app it went to; absent for uploads with a region and key (and older entries). */
  app: z.object({ id: z.string().min(1), name: z.string() }).optional(),
})
export type HistoryEntry = z.infer<typeof historyEntrySchema>

export const newHistoryEntrySchema = historyEntrySchema.omit({ id: true })
export type NewHistoryEntry = z.infer<typeof newHistoryEntrySchema>
