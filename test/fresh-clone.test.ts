/**
 * `npm test` on a fresh clone: nothing the tests, the code, the benchmarks or the scripts read
 * may live outside the repository. The ESL captures are kept in test/fixtures/esl-captures, byte
 * for byte (.gitattributes keeps git from converting them). The one reader allowed outside is the
 * live tier's install of the lab FreeSWITCH (../shared/freeswitch/install.sh), which runs only
 * where that build is provided.
 */
import t from 'tap'
import { createHash } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const SCANNED = ['src', 'test', 'bench', 'scripts', '.ci']
const CAPTURES = join(root, 'test/fixtures/esl-captures')
const MANIFEST = join(root, 'test/fixtures/esl-captures.sha256')

/** Outside the repository, but allowed: the live tier installs the lab FreeSWITCH from there. */
const ALLOWED_OUTSIDE = /^shared\/freeswitch(\/|$)/

export interface OutsideReader {
  readonly line: number
  readonly path: string
}

/**
 * A path into ../shared (where the captures used to be), or into any folder that really sits
 * beside the repository on this machine (another checkout, notes). A path resolved at run time
 * against another folder (phones.ts's `resolve(out, '../../vars.xml')`) lands nowhere and is not one.
 */
function besideTheRepository(beside: string): boolean {
  const first = beside.split('/')[0] ?? ''
  if (first === 'shared') return true
  const dir = resolve(root, '..', first)
  return first !== '' && first !== '..' && dir !== resolve(root) && existsSync(dir) && statSync(dir).isDirectory()
}

const inside = (p: string): boolean => p === root.replace(/\/$/, '') || p.startsWith(root)

/**
 * The relative paths in one file's text that lead out of the repository. A path is read both
 * from the file's folder (imports, `new URL(p, import.meta.url)`) and, when that names nothing
 * in the repository, from the repository root (`new URL(p, repoRoot)`, a script run from the
 * root): `'../shared/index.ts'` in src/acd is src/shared and fine, `'../shared/esl-captures/'`
 * is not. Any mention of the old captures folder counts too, whatever leads to it.
 */
export function outsideReaders(text: string, file: string): OutsideReader[] {
  const out: OutsideReader[] = []
  text.split('\n').forEach((l, i) => {
    if (/shared\/esl-captures/.test(l)) out.push({ line: i + 1, path: 'shared/esl-captures' })
    for (const m of l.matchAll(/(?<![\w./-])((?:\.\.\/)+)([\w.-]+(?:\/[\w.*-]*)*)/g)) {
      const rel = `${m[1] ?? ''}${m[2] ?? ''}`
      if (/shared\/esl-captures/.test(rel)) continue
      const fromFile = resolve(dirname(file), rel)
      const fromRoot = resolve(root, rel)
      const outside = !inside(fromFile) ? fromFile : !existsSync(fromFile) && !inside(fromRoot) ? fromRoot : undefined
      if (outside === undefined) continue
      const beside = relative(resolve(root, '..'), outside).split(sep).join('/')
      if (ALLOWED_OUTSIDE.test(beside) || !besideTheRepository(beside)) continue
      out.push({ line: i + 1, path: beside })
    }
  })
  return out
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    if (n === 'node_modules' || n === 'fixtures') return []
    return statSync(p).isDirectory() ? filesUnder(p) : /\.(ts|js|mjs|sh|json)$|^run$/.test(n) ? [p] : []
  })
}

t.test('nothing under src, test, bench, scripts or .ci reads outside the repository (but the live tier\'s FreeSWITCH install)', (t) => {
  // This file's own samples of bad readers are data for the test below, not readers.
  const files = [...SCANNED.flatMap((d) => filesUnder(join(root, d))), join(root, 'package.json')].filter((f) => f !== fileURLToPath(import.meta.url))
  t.ok(files.length > 100, `scanned ${files.length} files`)
  const found = files.flatMap((f) => outsideReaders(readFileSync(f, 'utf8'), f).map((r) => `${relative(root, f)}:${r.line} reads ../${r.path}`))
  t.same(found, [])
  t.end()
})

t.test('the scan flags the old readers of ../shared/esl-captures and leaves imports of src/shared alone', (t) => {
  const at = (p: string): string => join(root, p)
  t.same(outsideReaders("const captures = new URL('../shared/esl-captures/', repoRoot)", at('src/doctor/capture-body.ts')), [{ line: 1, path: 'shared/esl-captures' }])
  t.same(outsideReaders("const dir = new URL('../../../shared/captures/', import.meta.url)", at('src/esl/outbound.test.ts')), [{ line: 1, path: 'shared/captures' }])
  t.same(outsideReaders("readFileSync(new URL('../../../shared/PRODUCT.md', import.meta.url))", at('src/sim/x.ts')), [{ line: 1, path: 'shared/PRODUCT.md' }])
  t.same(outsideReaders("const notes = new URL('../shared/ARCHITECTURE.md', repoRoot)", at('src/doctor/x.ts')), [{ line: 1, path: 'shared/ARCHITECTURE.md' }])
  t.same(outsideReaders('cat ../shared/hooks/before-stop', at('scripts/x.sh')), [{ line: 1, path: 'shared/hooks/before-stop' }])
  t.same(outsideReaders("import { ok } from '../shared/index.ts'", at('src/acd/x.ts')), [])
  t.same(outsideReaders("import { FakeClock } from '../../shared/index.ts'", at('src/acd/core/x.ts')), [])
  t.same(outsideReaders("import { FakeClock } from '../src/shared/index.ts'", at('test/x.test.ts')), [])
  t.same(outsideReaders("new URL('../../test/fixtures/esl-captures/', import.meta.url)", at('src/esl/capture.test-support.ts')), [])
  t.same(outsideReaders('bash ../shared/freeswitch/install.sh', at('.ci/run')), [], "the live tier's install of the lab FreeSWITCH")
  t.end()
})

const sha256 = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex')

t.test('the ESL captures in test/fixtures are byte for byte the ones their SHA-256 manifest names', (t) => {
  const listed = new Map(readFileSync(MANIFEST, 'utf8').trim().split('\n').map((l) => {
    const [hash, name] = l.split(/ [ *]/)
    return [name ?? '', hash ?? ''] as const
  }))
  const present = readdirSync(CAPTURES).sort()
  t.same(present, [...listed.keys()].sort(), 'every capture file is in the manifest and every manifest entry exists')
  t.ok(present.includes('README.md'), 'with the README that numbers the protocol facts the code cites')
  t.ok(present.filter((n) => n.endsWith('.esl')).length >= 20, 'the captures')
  for (const n of present) t.equal(sha256(join(CAPTURES, n)), listed.get(n), n)
  t.end()
})

const HAVE_GIT = spawnSync('git', ['-C', root, 'rev-parse', '--git-dir']).status === 0

t.test('git keeps the captures\' bytes: no end-of-line conversion and no whitespace fixing', { skip: HAVE_GIT ? false : 'not a git checkout' }, (t) => {
  const names = readdirSync(CAPTURES).map((n) => `test/fixtures/esl-captures/${n}`)
  const r = spawnSync('git', ['-C', root, 'check-attr', 'text', 'whitespace', '--', ...names, 'test/fixtures/esl-captures.sha256'], { encoding: 'utf8' })
  const attrs = r.stdout.trim().split('\n')
  t.equal(attrs.length, (names.length + 1) * 2)
  for (const a of attrs) t.match(a, /: (text|whitespace): unset$/, a)
  const diff = spawnSync('git', ['-C', root, 'check-attr', 'diff', '--', 'test/fixtures/esl-captures/02-inbound-api.esl', 'some/other/capture.esl'], { encoding: 'utf8' })
  t.same(diff.stdout.trim().split('\n').map((l) => l.split(': ').pop()), ['unset', 'unset'], '*.esl is binary wherever it is')
  t.end()
})
