import t from 'tap'
import { chmodSync, existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { folderCheck } from './doctor-folders.ts'

t.test('a missing folder that can be made is created and passes, with the free space', async (t) => {
  const dir = join(t.testdir({}), 'var', 'messages')
  const r = await folderCheck(dir, 'paths.messages', 0)()
  t.match(r, { status: 'pass', detail: new RegExp(`^${dir}: writable, \\d+\\.\\d GB free$`) })
  t.ok(existsSync(dir) && statSync(dir).isDirectory(), 'the folder now exists')
})

t.test('a folder on a disk with less room than the minimum warns, naming the key to move', async (t) => {
  const dir = t.testdir({})
  const r = await folderCheck(dir, 'paths.messages', Number.MAX_SAFE_INTEGER)()
  t.match(r, { status: 'warn', detail: /: only \d+\.\d GB free$/, hint: 'free space or point paths.messages at a larger disk' })
})

t.test('a path that cannot be a folder (a file is in the way) fails with the reason and the key to change', async (t) => {
  const root = t.testdir({ messages: 'not a folder' })
  for (const [dir, reason] of [[join(root, 'messages'), /EEXIST/], [join(root, 'messages', 'in'), /ENOTDIR/]] as const) {
    const r = await folderCheck(dir, 'paths.messages', 0)()
    t.match(r, { status: 'fail', detail: reason, hint: /or change paths\.messages$/ }, dir)
    t.match(r.detail, dir, 'names the folder')
  }
})

t.test('a folder Hotline\'s user may not write to fails', { skip: process.getuid?.() === 0 ? 'root may write anywhere' : false }, async (t) => {
  const dir = t.testdir({ locked: {} })
  const locked = join(dir, 'locked')
  chmodSync(locked, 0o555)
  t.teardown(() => chmodSync(locked, 0o755))
  t.match(await folderCheck(locked, 'paths.messages', 0)(), { status: 'fail', detail: /EACCES/, hint: /paths\.messages/ })
})
