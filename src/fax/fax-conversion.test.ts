import t from 'tap'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFaxConversion, documentKind } from './fax-conversion.ts'

function hasTool(cmd: string, arg: string): boolean {
  try {
    execFileSync(cmd, [arg], { stdio: 'ignore' })
    return true
  } catch (e) {
    // tiffinfo/tiff2pdf exit non-zero for a bad argument but exist; only ENOENT means missing.
    return (e as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}
const missing = [['gs', '--version'], ['tiff2pdf', '-h'], ['tiffinfo', '-h']].filter(([c, a]) => !hasTool(c!, a!)).map(([c]) => c)
const skip = missing.length ? `fax tools missing (${missing.join(', ')}): run scripts/install-fax-tools.sh` : false

const dir = mkdtempSync(join(tmpdir(), 'fax-conv-'))
/** A one-page PDF with a line of text, drawn by Ghostscript from PostScript. */
function textPdf(name: string, pages = 1): Buffer {
  const out = join(dir, name)
  const page = '/Helvetica findfont 24 scalefont setfont 72 720 moveto (Hotline fax test page) show showpage '
  execFileSync('gs', ['-q', '-dSAFER', '-dNOPAUSE', '-dBATCH', '-sDEVICE=pdfwrite', `-sOutputFile=${out}`, '-c', page.repeat(pages)])
  return readFileSync(out)
}

t.test('documents are told apart by their first bytes', (t) => {
  t.same(documentKind(Buffer.from('%PDF-1.4\n')), { ok: true, value: 'pdf' })
  t.same(documentKind(Buffer.from([0x49, 0x49, 0x2a, 0x00, 1])), { ok: true, value: 'tiff' })
  t.same(documentKind(Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 1])), { ok: true, value: 'tiff' })
  t.match(documentKind(Buffer.from('hello')), { ok: false, error: { code: 'fax-document-unsupported' } })
  t.match(documentKind(Buffer.alloc(0)), { ok: false, error: { code: 'fax-document-empty' } })
  t.end()
})

t.test('a missing tool is reported by name with the install script to run', async (t) => {
  const conv = createFaxConversion({ gs: '/nonexistent/gs' })
  const r = await conv.toFaxTiff(Buffer.from('%PDF-1.4\n'), join(dir, 'never.tif'))
  t.match(r, { ok: false, error: { code: 'fax-tools-missing', message: /\/nonexistent\/gs is not installed.*install-fax-tools/ } })
})

t.test('a one-page PDF becomes a G4 fax TIFF, 1728 px wide at 204x196 dpi', { skip }, async (t) => {
  const conv = createFaxConversion()
  const out = join(dir, 'one.tif')
  t.same(await conv.toFaxTiff(textPdf('one.pdf'), out), { ok: true, value: { pages: 1 } })
  t.same(await conv.describeTiff(out), { ok: true, value: { pages: 1, width: 1728, xDpi: 204, yDpi: 196, compression: 'CCITT Group 4' } })
})

t.test('a multi-page TIFF at another resolution is refitted to the fax page, all pages kept', { skip }, async (t) => {
  const conv = createFaxConversion()
  const scan = join(dir, 'scan.tif')
  textPdf('two.pdf', 2)
  execFileSync('gs', ['-q', '-dSAFER', '-dNOPAUSE', '-dBATCH', '-sDEVICE=tiffg4', '-r300', `-sOutputFile=${scan}`, join(dir, 'two.pdf')])
  const out = join(dir, 'two.tif')
  t.same(await conv.toFaxTiff(readFileSync(scan), out), { ok: true, value: { pages: 2 } })
  t.match(await conv.describeTiff(out), { ok: true, value: { pages: 2, width: 1728, xDpi: 204, yDpi: 196 } })
})

t.test('a received fax TIFF becomes a PDF for viewing', { skip }, async (t) => {
  const conv = createFaxConversion()
  const tif = join(dir, 'rx.tif')
  await conv.toFaxTiff(textPdf('rx.pdf'), tif)
  const pdf = join(dir, 'rx-view.pdf')
  t.same(await conv.toPdf(tif, pdf), { ok: true, value: undefined })
  t.ok(existsSync(pdf))
  t.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-')
})

t.test('a broken PDF is refused as unreadable, with the tool saying why', { skip }, async (t) => {
  const conv = createFaxConversion()
  const r = await conv.toFaxTiff(Buffer.from('%PDF-1.4\nthis is not really a pdf\n'), join(dir, 'broken.tif'))
  t.match(r, { ok: false, error: { code: 'fax-document-unreadable', message: /^gs could not read the document/ } })
  t.notOk(existsSync(join(dir, 'broken.tif')), 'no half-made fax is left behind')
})

t.test('converting a TIFF that does not exist is an error, not a crash', { skip }, async (t) => {
  const conv = createFaxConversion()
  t.match(await conv.toPdf(join(dir, 'absent.tif'), join(dir, 'absent.pdf')), { ok: false, error: { code: 'fax-document-unreadable' } })
})
