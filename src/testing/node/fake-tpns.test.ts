import { request } from 'node:http'
import { afterEach, describe, expect, test } from 'vitest'
import { startFakeTpns, type FakeTpns } from './fake-tpns.ts'
import { multipart, multipartEnvelope } from './multipart.ts'

const running: FakeTpns[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()))
})

async function start(...options: Parameters<typeof startFakeTpns>): Promise<FakeTpns> {
  const fake = await startFakeTpns(...options)
  running.push(fake)
  return fake
}

function post(url: string, body: Buffer, contentType = 'text/plain') {
  return fetch(`${url}/v3/push/package/upload`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    // A copy the DOM's BodyInit type takes (a Buffer may sit on a SharedArrayBuffer).
    body: new Uint8Array(body),
  })
}

describe('the fake TPNS', () => {
  test('answers success with uploadIds counting up, then queued replies, then `always`', async () => {
    const fake = await start({ firstUploadId: 7 })
    const body = Buffer.from('x')
    expect(await (await post(fake.url, body)).json()).toEqual({
      retCode: 0,
      errMsg: 'NO_ERROR',
      uploadId: 7,
    })
    fake.reply({ status: 503, text: 'busy' }, { status: 200, json: { retCode: 1 } })
    fake.always({ status: 418, text: '<p>teapot</p>', type: 'text/html', headers: { 'x-a': 'b' } })
    const busy = await post(fake.url, body)
    expect([busy.status, await busy.text()]).toEqual([503, 'busy'])
    expect(await (await post(fake.url, body)).json()).toEqual({ retCode: 1 })
    const teapot = await post(fake.url, body)
    expect(teapot.status).toBe(418)
    expect(teapot.headers.get('content-type')).toBe('text/html')
    expect(teapot.headers.get('x-a')).toBe('b')
    expect(fake.requests).toHaveLength(4)

    fake.reset()
    expect(fake.requests).toHaveLength(0)
    expect(await (await post(fake.url, body)).json()).toMatchObject({ uploadId: 7 })
  })

  test('records the raw request and reads its multipart form on demand', async () => {
    const fake = await start()
    const form = multipart([
      { field: 'note', content: 'hello' },
      { field: 'file', fileName: 'tokens.txt', content: 'abc\n' },
    ])
    await post(fake.url, form.body, form.contentType)
    const [recorded] = fake.requests
    expect(recorded.method).toBe('POST')
    expect(recorded.url).toBe('/v3/push/package/upload')
    expect(recorded.headers['content-type']).toBe(form.contentType)
    expect(recorded.body.equals(form.body)).toBe(true)
    expect([recorded.size, recorded.complete]).toEqual([form.body.length, true])
    expect(await recorded.form()).toEqual({
      fieldName: 'file',
      fileName: 'tokens.txt',
      bytes: Buffer.from('abc\n'),
      fields: ['note'],
    })
  })

  test('a body that is not multipart reads as an empty form', async () => {
    const fake = await start()
    await post(fake.url, Buffer.from('plain'))
    expect(await fake.requests[0].form()).toEqual({
      fieldName: null,
      fileName: null,
      bytes: Buffer.alloc(0),
      fields: [],
    })
  })

  test('with keepBodies: false, counts the bytes and keeps none', async () => {
    const fake = await start({ keepBodies: false })
    await post(fake.url, Buffer.alloc(100_000, 0x61))
    expect(fake.requests[0].size).toBe(100_000)
    expect(() => fake.requests[0].body).toThrow('keeps no bodies')
    await expect(fake.requests[0].form()).rejects.toThrow('keeps no bodies')
  })

  test("'hang' never answers; the request is recorded and `received` resolves", async () => {
    const fake = await start()
    fake.reply('hang')
    const { port } = new URL(fake.url)
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/' })
    req.on('error', () => undefined)
    req.write(Buffer.alloc(1000))
    await fake.received(1000)
    expect(fake.requests[0].complete).toBe(false)
    // The form waits for the request to be over: here, cut off by the sender.
    const form = fake.requests[0].form()
    req.destroy()
    await expect(form).resolves.toMatchObject({ fieldName: null })
    expect(fake.requests[0].complete).toBe(false)
  })
})

describe('the multipart envelope', () => {
  test('around content sent separately, it is the same body as the whole form', () => {
    const content = Buffer.from('0123456789abcdef01234567890abcdef012\n')
    const envelope = multipartEnvelope({ field: 'file', fileName: 'a.txt', size: content.length })
    const whole = multipart([{ field: 'file', fileName: 'a.txt', content }])
    const body = Buffer.concat([envelope.preamble, content, envelope.epilogue])
    expect(body.equals(whole.body)).toBe(true)
    expect(envelope.length).toBe(body.length)
    expect(envelope.contentType).toBe(whole.contentType)
  })
})
