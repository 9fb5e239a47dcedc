import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { hashPassword } from './password-hash.ts'
import { putUser, userNameSchema } from './users-file.ts'

// `npm run add-user -- NAME`: reads the password from standard input (typed unseen at a
// terminal, or the first line of a pipe) and adds or replaces NAME in TPNS_USERS_FILE.

const MIN_PASSWORD = 12

function fail(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

/** One line from standard input; at a terminal, without echoing what is typed. */
function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin
  if (!stdin.isTTY) {
    return new Promise((resolveLine) => {
      const lines = createInterface({ input: stdin })
      let first: string | null = null
      lines.once('line', (line) => {
        first = line
        lines.close()
      })
      lines.once('close', () => resolveLine(first ?? ''))
    })
  }
  process.stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.resume()
  stdin.setEncoding('utf8')
  return new Promise((resolveLine) => {
    let typed = ''
    const onData = (text: string) => {
      for (const char of text) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          stdin.setRawMode(false)
          stdin.pause()
          stdin.off('data', onData)
          process.stderr.write('\n')
          resolveLine(typed)
          return
        }
        if (char === '\u0003') fail('\nCancelled.')
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char
      }
    }
    stdin.on('data', onData)
  })
}

const path = process.env.TPNS_USERS_FILE?.trim()
if (!path) fail('Set TPNS_USERS_FILE to the users file (it is created if it does not exist).')
const name = process.argv[2] ?? ''
const checked = userNameSchema.safeParse(name)
if (!checked.success || process.argv.length > 3) {
  fail(
    `Usage: npm run add-user -- NAME (the password is read from standard input)\n` +
      `NAME ${checked.success ? 'must be one argument' : checked.error.issues[0].message}.`,
  )
}
const password = await readPassword(`Password for ${name}: `)
if ([...password].length < MIN_PASSWORD) {
  fail(`The password must have at least ${MIN_PASSWORD} characters.`)
}
const file = resolve(path)
await putUser(file, name, await hashPassword(password))
process.stderr.write(`${name} can sign in now (${file}).\n`)
