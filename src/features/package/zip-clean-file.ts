// Loaded when a zip is asked for: the worker starts faster without it.

/** The clean package as a zip: the one .txt at the top, no folders, no metadata. */
export async function zipCleanFile(
  textName: string,
  text: Uint8Array,
): Promise<{ name: string; bytes: Uint8Array<ArrayBuffer> }> {
  const { default: JSZip } = await import('jszip')
  const zip = new JSZip()
  zip.file(textName, text, { binary: true, createFolders: false })
  const bytes = await zip.generateAsync({
    type: 'uint8array',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
  })
  return { name: textName.replace(/\.txt$/, '.zip'), bytes: new Uint8Array(bytes) }
}
