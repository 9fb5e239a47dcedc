import { spawn } from 'node:child_process'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { freePort } from '../src/testing/node/free-port.ts'

const DEPLOY_CONF = fileURLToPath(new URL('../deploy/nginx.conf', import.meta.url))

/** Debian's nginx (`apt-get install nginx`), or NGINX_PATH; a clear message when neither. */
export function findNginx(): string {
  const found = [process.env.NGINX_PATH, '/usr/sbin/nginx'].find((path): path is string =>
    Boolean(path && existsSync(path)),
  )
  if (found) return found
  throw new Error(
    'No nginx found: install it (Debian/Ubuntu: `sudo apt-get install nginx`) or set NGINX_PATH.',
  )
}

export interface NginxFront {
  /** https://127.0.0.1:<port>, a self-signed certificate. */
  url: string
  /** The plain-HTTP listener, which redirects to https. */
  httpUrl: string
  close(): Promise<void>
}

/**
 * deploy/nginx.conf as it ships, in front of the app on `appPort`: only the addresses, the
 * ports and the certificate paths are put in, each checked to be there, so the test runs the
 * operator's file and not a copy of it.
 */
export async function startNginxFront(appPort: number): Promise<NginxFront> {
  const nginx = findNginx()
  const dir = await mkdtemp(join(tmpdir(), 'tpns-nginx-'))
  // Workers run as nobody when the master is root: they must reach the temp paths.
  await chmod(dir, 0o755)
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) {
    await mkdir(join(dir, sub), { mode: 0o777 })
    await chmod(join(dir, sub), 0o777)
  }
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ])
  const [tlsPort, httpPort] = [await freePort(), await freePort()]
  let site = await readFile(DEPLOY_CONF, 'utf8')
  const put = (from: string, to: string) => {
    if (!site.includes(from)) throw new Error(`deploy/nginx.conf no longer has "${from}"`)
    site = site.replaceAll(from, to)
  }
  put('server 127.0.0.1:4173;', `server 127.0.0.1:${appPort};`)
  put('listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`)
  put('listen 80;', `listen 127.0.0.1:${httpPort};`)
  put('/etc/ssl/certs/tpns.example.com.pem', join(dir, 'cert.pem'))
  put('/etc/ssl/private/tpns.example.com.key', join(dir, 'key.pem'))
  await writeFile(join(dir, 'site.conf'), site)
  await writeFile(
    join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'logs', 'error.log')} warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${join(dir, 'body')};`,
      `  proxy_temp_path ${join(dir, 'proxy')};`,
      `  fastcgi_temp_path ${join(dir, 'fastcgi')};`,
      `  uwsgi_temp_path ${join(dir, 'uwsgi')};`,
      `  scgi_temp_path ${join(dir, 'scgi')};`,
      `  include ${join(dir, 'site.conf')};`,
      '}',
      '',
    ].join('\n'),
  )
  const child = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline && child.exitCode === null) {
    if (await accepts(tlsPort)) {
      return { url: `https://127.0.0.1:${tlsPort}`, httpUrl: `http://127.0.0.1:${httpPort}`, close }
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await close()
  throw new Error(`nginx did not start:\n${output}`)
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
