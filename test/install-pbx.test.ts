/** scripts/install-pbx.sh, run with bash against a staging root (HOTLINE_PBX_ROOT): nothing on this host is touched. */
import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('../scripts/install-pbx.sh', import.meta.url))
const VARS = readFileSync(new URL('../freeswitch-conf/vars.xml', import.meta.url), 'utf8')

/** A Hotline tree with the kit's vars.xml, a staging root with an old /etc/freeswitch, and a fake freeswitch binary. */
function host(t: Test, opts: { freeswitch?: boolean } = {}) {
  const dir = t.testdir({
    home: { 'freeswitch-conf': { 'vars.xml': VARS } },
    root: { etc: { freeswitch: { 'vars.xml': '<!-- the vanilla tree -->' } } },
    bin: { freeswitch: '#!/bin/sh\necho "FreeSWITCH version: 1.10.12-release (git a88d069 2024-08-02 21:02:27Z 64bit)"\n' },
  })
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOTLINE_HOME: join(dir, 'home'), HOTLINE_PBX_ROOT: join(dir, 'root'),
    HOTLINE_FREESWITCH_BIN: opts.freeswitch === false ? join(dir, 'bin', 'no-freeswitch') : join(dir, 'bin', 'freeswitch'),
  }
  spawnSync('chmod', ['+x', join(dir, 'bin', 'freeswitch')])
  const run = (...args: string[]) => {
    const r = spawnSync('bash', [SCRIPT, ...args], { env, encoding: 'utf8' })
    return { code: r.status, out: r.stdout, err: r.stderr }
  }
  const tree = () => readdirSync(join(dir, 'root'), { recursive: true }).map(String).sort()
  return { dir, run, tree, vars: () => readFileSync(join(dir, 'home/freeswitch-conf/vars.xml'), 'utf8') }
}

const eslPassword = (vars: string) => /data="hotline_esl_password=([^"]*)"/.exec(vars)?.[1]

t.test('--dry-run prints every step and changes nothing', (t) => {
  const h = host(t)
  const before = h.tree()
  const r = h.run('--dry-run')
  t.equal(r.code, 0, r.err)
  t.match(r.out, /would: useradd --system .* hotline/)
  t.match(r.out, /would: mv .*\/etc\/freeswitch .*\/etc\/freeswitch\.before-hotline-\d{14}/)
  t.match(r.out, /would: ln -s .*\/home\/freeswitch-conf .*\/etc\/freeswitch/)
  t.match(r.out, 'would: set a random hotline_esl_password')
  t.match(r.out, /would: write .*\/etc\/hotline\/hotline\.yaml \(mode 600\)/)
  t.match(r.out, /would: write .*\/etc\/systemd\/system\/hotline\.service/)
  t.match(r.out, 'would: systemctl enable hotline.service')
  t.same(h.tree(), before, 'no file created, moved or changed')
  t.equal(eslPassword(h.vars()), 'change-me-before-first-start')
  t.end()
})

t.test('the same random ESL password goes into vars.xml and into hotline.yaml, which only its owner reads', (t) => {
  const h = host(t)
  const r = h.run()
  t.equal(r.code, 0, r.err)
  const password = eslPassword(h.vars())
  t.match(password, /^[0-9a-f]{48}$/)
  const yaml = join(h.dir, 'root/etc/hotline/hotline.yaml')
  t.match(readFileSync(yaml, 'utf8'), `esl:\n  password: ${password}\n`)
  t.equal(statSync(yaml).mode & 0o777, 0o600)
  t.notMatch(r.out + r.err, password!, 'the password is not printed')
  t.end()
})

t.test('/etc/freeswitch becomes a link to the kit, with the old tree kept aside', (t) => {
  const h = host(t)
  h.run()
  const etc = join(h.dir, 'root/etc')
  t.ok(lstatSync(join(etc, 'freeswitch')).isSymbolicLink())
  t.equal(readlinkSync(join(etc, 'freeswitch')), join(h.dir, 'home/freeswitch-conf'))
  const backups = readdirSync(etc).filter((n) => n.startsWith('freeswitch.before-hotline-'))
  t.equal(backups.length, 1)
  t.equal(readFileSync(join(etc, backups[0]!, 'vars.xml'), 'utf8'), '<!-- the vanilla tree -->')
  t.match(h.vars(), `data="hotline_home=${join(h.dir, 'home')}"`)
  t.end()
})

t.test('the service runs `hotline start` as its own user, with the config from /etc/hotline', (t) => {
  const h = host(t)
  h.run()
  const unit = readFileSync(join(h.dir, 'root/etc/systemd/system/hotline.service'), 'utf8')
  t.match(unit, /^User=hotline$/m)
  t.match(unit, /^ExecStart=\S+node \S+\/home\/bin\/hotline\.js start$/m)
  t.match(unit, /^Environment=HOTLINE_CONFIG=\/etc\/hotline\/hotline\.yaml$/m)
  t.match(unit, /^After=.*freeswitch\.service/m)
  for (const d of ['var/lib/hotline/recordings', 'var/lib/hotline/fax', 'var/lib/hotline/messages']) t.ok(existsSync(join(h.dir, 'root', d)), d)
  t.match(readFileSync(join(h.dir, 'root/etc/hotline/hotline.yaml'), 'utf8'), /^ {2}messages: \/var\/lib\/hotline\/messages$/m, 'IVR messages go to the folder made for them')
  t.end()
})

t.test('a second run changes nothing: same password, no second backup, files up to date', (t) => {
  const h = host(t)
  h.run()
  const password = eslPassword(h.vars())
  const tree = h.tree()
  const r = h.run()
  t.equal(r.code, 0, r.err)
  t.equal(eslPassword(h.vars()), password)
  t.same(h.tree(), tree)
  t.match(r.out, 'already links to')
  t.match(r.out, 'hotline.yaml already has the ESL password')
  t.match(r.out, 'hotline.service is up to date')
  t.end()
})

t.test('an existing hotline.yaml keeps its other settings and gets the password', (t) => {
  const h = host(t)
  spawnSync('mkdir', ['-p', join(h.dir, 'root/etc/hotline')])
  spawnSync('bash', ['-c', `printf 'http:\\n  port: 9090\\nesl:\\n  host: 127.0.0.1\\n  password: stale\\n' > ${join(h.dir, 'root/etc/hotline/hotline.yaml')}`])
  h.run()
  const yaml = readFileSync(join(h.dir, 'root/etc/hotline/hotline.yaml'), 'utf8')
  t.equal(yaml, `http:\n  port: 9090\nesl:\n  password: ${eslPassword(h.vars())}\n  host: 127.0.0.1\n`)
  t.end()
})

t.test('without FreeSWITCH installed it stops and points at docs/deploy.md, installing nothing', (t) => {
  const h = host(t, { freeswitch: false })
  const before = h.tree()
  const r = h.run()
  t.equal(r.code, 1)
  t.match(r.err, /FreeSWITCH is not installed.*official Debian packages.*docs\/deploy\.md/)
  t.same(h.tree(), before)
  t.end()
})

t.test('an unknown option is a usage error', (t) => {
  const r = host(t).run('--force')
  t.equal(r.code, 2)
  t.match(r.err, 'unknown option --force')
  t.end()
})
