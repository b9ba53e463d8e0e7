import t, { type Test } from 'tap'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { KnexAgentRepository } from '../acd/index.ts'
import { agentId, systemClock } from '../shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../store/index.ts'
import { createUserService } from '../users/index.ts'
import { runCli, type CliIo } from './index.ts'
import { userAddCommand, userListCommand, type PasswordInput } from './user.ts'

const secret = 'first admin passphrase'

function io(cwd: string) {
  let out = ''
  let err = ''
  const cli: CliIo = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd, stopRequested: () => new Promise(() => undefined) }
  return { cli, out: () => out, err: () => err }
}

const site = (t: Test) => t.testdir({ 'hotline.yaml': 'db:\n  filename: ./data/h.sqlite\n' })
const piped = (text: string) => (): PasswordInput => Readable.from([Buffer.from(text)])

/** A terminal that answers each prompt with the next line, and records raw-mode switches. */
function terminal(lines: string[], raw: boolean[]): () => PasswordInput {
  const listeners = new Set<(chunk: string) => void>()
  const tty = Object.assign(Readable.from([]), {
    isTTY: true,
    setRawMode: (on: boolean) => raw.push(on),
    on: (_e: 'data', l: (chunk: string) => void) => { listeners.add(l); return tty },
    off: (_e: 'data', l: (chunk: string) => void) => { listeners.delete(l); return tty },
    resume: () => {
      const line = lines.shift()
      if (line !== undefined) queueMicrotask(() => { for (const l of [...listeners]) l(line) })
      return tty
    },
    pause: () => tty,
  })
  return () => tty
}

async function canLogIn(dir: string, username: string, password: string): Promise<boolean> {
  const store = openStore({ client: 'better-sqlite3', filename: './data/h.sqlite' }, dir)
  try {
    return (await createUserService(store, systemClock).login(username, password, 'test')).ok
  } finally {
    await closeStore(store)
  }
}

t.test('user add --password-stdin creates an admin who can log in, and prints no password', async (t) => {
  const dir = site(t)
  const c = io(dir)
  const argv = ['user', 'add', 'Root', '--role', 'admin', '--name', 'Site Admin', '--password-stdin']
  t.equal(await runCli(argv, {}, c.cli, [userAddCommand(piped(`${secret}\n`))]), 0, c.err())
  t.match(c.out(), 'created root\tadmin\tSite Admin\t-\tenabled')
  t.notMatch(c.out() + c.err(), secret)
  t.equal(await canLogIn(dir, 'root', secret), true, 'the trailing newline from echo is not part of the password')

  const list = io(dir)
  t.equal(await runCli(['user', 'list'], {}, list.cli, [userListCommand]), 0)
  t.equal(list.out(), 'root\tadmin\tSite Admin\t-\tenabled\n')
})

/** The site's store with one agent in it, as PUT /api/v1/agents/<id> makes it. */
async function withAgent(dir: string, id: string): Promise<void> {
  const store = openStore({ client: 'better-sqlite3', filename: join(dir, 'data', 'h.sqlite') })
  try {
    await migrateLatest(store)
    await new KnexAgentRepository(store).save({ id: agentId(id), name: id, contact: { kind: 'sip', user: '2001' }, skills: new Map(), queues: [] })
  } finally {
    await closeStore(store)
  }
}

t.test('user add links an agent and refuses a second user with the same name', async (t) => {
  const dir = site(t)
  await withAgent(dir, '1001')
  t.equal(await runCli(['user', 'add', 'lin', '--role', 'agent', '--agent', '1001', '--password-stdin'], {}, io(dir).cli, [userAddCommand(piped(secret))]), 0)
  const again = io(dir)
  t.equal(await runCli(['user', 'add', 'LIN', '--role', 'agent', '--agent', '1001', '--password-stdin'], {}, again.cli, [userAddCommand(piped(secret))]), 1)
  t.match(again.err(), 'a user named "lin" already exists (user-exists)')
})

t.test("an agent's login needs --agent, and an agent that exists: a console behind nothing is refused, and nothing is created", async (t) => {
  const dir = site(t)
  const none = io(dir)
  t.equal(await runCli(['user', 'add', 'lin', '--role', 'agent', '--password-stdin'], {}, none.cli, [userAddCommand(piped(secret))]), 2)
  t.match(none.err(), "an agent's login needs --agent")
  const unknown = io(dir)
  t.equal(await runCli(['user', 'add', 'lin', '--role', 'agent', '--agent', 'nobody', '--password-stdin'], {}, unknown.cli, [userAddCommand(piped(secret))]), 1)
  t.match(unknown.err(), 'no agent "nobody": create it first (PUT /api/v1/agents/nobody)')
  t.equal(await canLogIn(dir, 'lin', secret), false, 'no user was made')
})

t.test('on a terminal the password is prompted twice with echo off', async (t) => {
  const dir = site(t)
  const c = io(dir)
  const raw: boolean[] = []
  t.equal(await runCli(['user', 'add', 'root', '--role', 'admin'], {}, c.cli, [userAddCommand(terminal([`${secret}\r`, `${secret}\r`], raw))]), 0, c.err())
  t.match(c.err(), 'Password: ')
  t.match(c.err(), 'Repeat the password: ')
  t.notMatch(c.err(), secret, 'what was typed is not echoed')
  t.same(raw, [true, false, true, false])
  t.equal(await canLogIn(dir, 'root', secret), true)

  const differ = io(dir)
  t.equal(await runCli(['user', 'add', 'mei', '--role', 'admin'], {}, differ.cli, [userAddCommand(terminal([`${secret}\r`, 'something else\r'], []))]), 1)
  t.match(differ.err(), 'the two passwords differ')
})

t.test('a password is never taken from the command line, and without a terminal stdin must be asked for', async (t) => {
  const dir = site(t)
  const argvPassword = io(dir)
  t.equal(await runCli(['user', 'add', 'root', '--role', 'admin', '--password', secret], {}, argvPassword.cli, [userAddCommand(piped(secret))]), 2)
  t.match(argvPassword.err(), '--password')
  const noTty = io(dir)
  t.equal(await runCli(['user', 'add', 'root', '--role', 'admin'], {}, noTty.cli, [userAddCommand(piped(secret))]), 1)
  t.match(noTty.err(), 'pipe the password in with --password-stdin')
})

t.test('user add rejects a missing or unknown role, a short password and an invalid username', async (t) => {
  const dir = site(t)
  for (const argv of [['user', 'add', 'root'], ['user', 'add', 'root', '--role', 'owner'], ['user', 'add', '--role', 'admin']]) {
    const c = io(dir)
    t.equal(await runCli([...argv, '--password-stdin'], {}, c.cli, [userAddCommand(piped(secret))]), 2, argv.join(' '))
    t.match(c.err(), 'give one username and --role agent|supervisor|admin')
  }
  const short = io(dir)
  t.equal(await runCli(['user', 'add', 'root', '--role', 'admin', '--password-stdin'], {}, short.cli, [userAddCommand(piped('short\n'))]), 1)
  t.match(short.err(), 'a password has at least 10 characters (password-invalid)')
  const badName = io(dir)
  t.equal(await runCli(['user', 'add', 'has space', '--role', 'admin', '--password-stdin'], {}, badName.cli, [userAddCommand(piped(secret))]), 1)
  t.match(badName.err(), '(username-invalid)')
})

t.test('user list on a new site says how to create the first admin; a broken config exits 1', async (t) => {
  const c = io(site(t))
  t.equal(await runCli(['user', 'list'], {}, c.cli, [userListCommand]), 0)
  t.match(c.out(), 'hotline user add <name> --role admin')
  const broken = io(t.testdir({ 'hotline.yaml': 'db:\n  client: mongo\n' }))
  t.equal(await runCli(['user', 'list'], {}, broken.cli, [userListCommand]), 1)
  t.match(broken.err(), 'hotline user list: ')
  t.match(broken.err(), 'db.client')
})
