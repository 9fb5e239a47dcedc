import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { findAccessPoint } from '../../src/shared/access-points.ts'
import { tokens } from '../fixtures.ts'
import { ideal } from './drop-packages.ts'
import type { Flow } from './flow.ts'
import {
  attribute,
  clickWhenEnabled,
  drop,
  exists,
  language,
  message,
  text,
  value,
  waitFor,
  waitForSelector,
} from './page-hooks.ts'

const UPLOAD_ID = /^[1-9]\d*$/

// The default server (no TPNS configuration): uploads go to the built-in sandbox.
export const uploadToSandbox: Flow = {
  name: 'an upload to the sandbox is listed in the history, and the history survives a reload',
  async run({ page, url, file }) {
    const clean = ideal(tokens(30))
    const path = await file('spring.txt', clean)
    await page.open(url)
    await waitForSelector(page, '[data-testid=history-empty]')
    assert.equal(await drop(page, path), 'ready')

    // The panel asks the server how it is set up first: the credential fields come after.
    const sandboxNote = await message(page, 'upload.credentials.sandbox')
    await waitFor(
      page,
      `the upload panel to say "${sandboxNote}"`,
      `document.querySelector('[data-testid=upload-panel]')?.textContent.includes(${JSON.stringify(sandboxNote)})`,
    )
    assert.equal(await value(page, '[data-testid=region]'), 'sandbox')
    assert.equal(await attribute(page, '[data-testid=upload]', 'disabled'), '', 'no upload yet')
    await page.fill('[data-testid=access-id]', '1500000001')
    await page.fill('[data-testid=secret-key]', 'sandbox-secret')
    await clickWhenEnabled(page, '[data-testid=upload]')

    const uploadId = String(
      await waitFor(
        page,
        'an uploadId',
        "document.querySelector('[data-testid=upload-result]')?.dataset.uploadId",
      ),
    )
    assert.match(uploadId, UPLOAD_ID)
    const entry = `[data-testid=history-entry][data-upload-id="${uploadId}"]`
    await waitForSelector(page, entry)
    const sandbox = findAccessPoint('sandbox').name
    const expectListed = async () => {
      const listed = (await text(page, entry)) ?? ''
      for (const shown of [
        'spring.txt',
        '1500000001',
        sandbox[await language(page)],
        await message(page, 'history.kind.token'),
        // The hash of the bytes uploaded: the clean package, as dropped.
        createHash('sha256').update(clean).digest('hex'),
      ])
        assert.ok(listed.includes(shown), `the history entry shows ${shown}: ${listed}`)
    }
    await expectListed()

    await page.reload()
    await waitForSelector(page, entry)
    await expectListed()
    assert.equal(await exists(page, '[data-testid=history-memory]'), false, 'kept in storage')
  },
}
