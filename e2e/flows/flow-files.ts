import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface FlowFiles {
  /** Writes a file into the folder; its path. */
  file(name: string, bytes: Uint8Array | string): Promise<string>
  remove(): Promise<void>
}

/** A temporary folder for the packages flows drop: made at run time, never committed. */
export async function createFlowFiles(): Promise<FlowFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'tpns-flows-'))
  return {
    async file(name, bytes) {
      const path = join(dir, name)
      await writeFile(path, bytes)
      return path
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}
