/**
 * `hotline user add` and `hotline user list`: manage API users from the command line. This is
 * how the first admin is created, before anyone can log in to the API. The password is read
 * from stdin (`--password-stdin`) or typed at a prompt without echo, never taken from argv,
 * where `ps` and shell history would show it.
 */
import { loadConfig } from '../app/index.ts'
import { agentId, err, failure, systemClock } from '../shared/index.ts'
import { KnexAgentRepository } from '../acd/index.ts'
import { closeStore, migrateLatest, openStore, type Store } from '../store/index.ts'
import { createUserService, USER_ROLES, type User, type UserRole, type UserService } from '../users/index.ts'
import type { CliContext, Command, CommandArgs } from './command.ts'

/** Where a password comes from: process.stdin in production, a stream in tests. */
export interface PasswordInput extends AsyncIterable<Buffer | string> {
  readonly isTTY?: boolean
  setRawMode?(raw: boolean): unknown
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown
  resume(): unknown
  pause(): unknown
}

const isRole = (s: string): s is UserRole => (USER_ROLES as readonly string[]).includes(s)

async function withUsers<T>(args: CommandArgs, ctx: CliContext, name: string, fn: (users: UserService, store: Store) => Promise<T>): Promise<T | undefined> {
  const file = args.values['config']
  const loaded = loadConfig({ env: ctx.env, cwd: ctx.io.cwd, file: typeof file === 'string' ? file : undefined })
  if (!loaded.ok) {
    ctx.io.stderr.write(`hotline ${name}: ${loaded.error.message}\n`)
    return undefined
  }
  const store: Store = openStore(loaded.value.db, ctx.io.cwd)
  try {
    await migrateLatest(store)
    return await fn(createUserService(store, systemClock), store)
  } finally {
    await closeStore(store)
  }
}

/** All of stdin, without the one trailing newline that `echo` or a heredoc adds. */
async function readAll(input: PasswordInput): Promise<string> {
  let text = ''
  for await (const chunk of input) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
  return text.replace(/\r?\n$/, '')
}

/** Reads one line with the terminal in raw mode, so nothing typed is echoed. Ctrl-C aborts. */
function promptHidden(input: PasswordInput, ctx: CliContext, prompt: string): Promise<string | undefined> {
  ctx.io.stderr.write(prompt)
  return new Promise((resolve) => {
    let typed = ''
    const finish = (value: string | undefined) => {
      input.off('data', onData)
      input.setRawMode?.(false)
      input.pause()
      ctx.io.stderr.write('\n')
      resolve(value)
    }
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(typed)
        if (ch === '\u0003' || ch === '\u0004') return finish(undefined)
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch
      }
    }
    input.setRawMode?.(true)
    input.on('data', onData)
    input.resume()
  })
}

async function readPassword(args: CommandArgs, ctx: CliContext, input: PasswordInput): Promise<string | { problem: string }> {
  if (args.values['password-stdin'] === true) return readAll(input)
  if (input.isTTY !== true) return { problem: 'no terminal to prompt on: pipe the password in with --password-stdin' }
  const first = await promptHidden(input, ctx, 'Password: ')
  if (first === undefined) return { problem: 'cancelled' }
  const again = await promptHidden(input, ctx, 'Repeat the password: ')
  return again === first ? first : { problem: 'the two passwords differ' }
}

const describe = (u: User): string =>
  `${u.username}\t${u.role}\t${u.displayName}\t${u.agentId ?? '-'}\t${u.disabled ? 'disabled' : 'enabled'}`

/** `input` is called only when a password is needed (process.stdin is not touched otherwise). */
export function userAddCommand(input: () => PasswordInput): Command {
  return {
    name: 'user add',
    summary: 'create an API user (the first admin too); password from --password-stdin or a prompt',
    usage: '<username> --role agent|supervisor|admin [--name "…"] [--agent <agentId>] [--password-stdin]',
    options: { role: { type: 'string' }, name: { type: 'string' }, agent: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    async run(args, ctx) {
      const [username, extra] = args.positionals
      const role = args.values['role']
      if (username === undefined || extra !== undefined || typeof role !== 'string' || !isRole(role)) {
        ctx.io.stderr.write(`hotline user add: give one username and --role ${USER_ROLES.join('|')}\n`)
        return 2
      }
      const password = await readPassword(args, ctx, input())
      if (typeof password !== 'string') {
        ctx.io.stderr.write(`hotline user add: ${password.problem}\n`)
        return 1
      }
      const name = args.values['name']
      const agent = args.values['agent']
      // An agent's login without an agent behind it opens a console that can never show a call.
      if (role === 'agent' && typeof agent !== 'string') {
        ctx.io.stderr.write('hotline user add: an agent\'s login needs --agent <agentId> (the agent it is, as created under /api/v1/agents)\n')
        return 2
      }
      const created = await withUsers(args, ctx, 'user add', async (users, store) => {
        if (typeof agent === 'string' && !(await new KnexAgentRepository(store).get(agentId(agent)))) {
          return err(failure('agent-unknown', `no agent "${agent}": create it first (PUT /api/v1/agents/${agent}), then its login`))
        }
        return users.create({ username, password, role, ...(typeof name === 'string' ? { displayName: name } : {}), ...(typeof agent === 'string' ? { agentId: agent } : {}) })
      })
      if (created === undefined) return 1
      if (!created.ok) {
        ctx.io.stderr.write(`hotline user add: ${created.error.message} (${created.error.code})\n`)
        return 1
      }
      ctx.io.stdout.write(`created ${describe(created.value)}\n`)
      return 0
    },
  }
}

export const userListCommand: Command = {
  name: 'user list',
  summary: 'list API users with their role, agent and state',
  async run(args, ctx) {
    const users = await withUsers(args, ctx, 'user list', (u) => u.list())
    if (users === undefined) return 1
    ctx.io.stdout.write(users.length === 0 ? 'no users yet: create the first admin with `hotline user add <name> --role admin`\n' : `${users.map(describe).join('\n')}\n`)
    return 0
  },
}
