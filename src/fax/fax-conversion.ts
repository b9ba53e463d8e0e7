/**
 * Document conversion with the Debian tools installed by scripts/install-fax-tools.sh:
 * Ghostscript renders a PDF to a fax-ready TIFF (CCITT G4, 204x196 dpi, 1728 px wide, as
 * spandsp's txfax expects: the captured test page was 1728x2292), tiff2pdf turns a received
 * fax into a PDF for the browser, tiffinfo counts pages. Each tool runs with execFile (no shell)
 * and a timeout; a missing tool is its own error so the operator knows what to install.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { err, failure, ok, type Failure, type Result } from '../shared/index.ts'

export type ConversionErrorCode =
  | 'fax-tools-missing' // gs / tiff2pdf / tiffinfo not installed
  | 'fax-document-unsupported' // neither a PDF nor a TIFF
  | 'fax-document-empty'
  | 'fax-document-unreadable' // the tool could not read it (broken file)
  | 'fax-conversion-failed' // timeout or another tool failure
export type ConversionError = Failure<ConversionErrorCode>

export type DocumentKind = 'pdf' | 'tiff'

export interface TiffFacts {
  readonly pages: number
  readonly width: number
  readonly xDpi: number
  readonly yDpi: number
  readonly compression: string
}

export interface FaxConversion {
  /** Any PDF or TIFF → a G4 fax TIFF at `out`; resolves with its page count. */
  toFaxTiff(document: Buffer, out: string): Promise<Result<{ readonly pages: number }, ConversionError>>
  /** A fax TIFF → a PDF for viewing. */
  toPdf(tiff: string, out: string): Promise<Result<void, ConversionError>>
  describeTiff(tiff: string): Promise<Result<TiffFacts, ConversionError>>
}

/** Tells a PDF from a TIFF by its first bytes, never by what the client claims. */
export function documentKind(b: Buffer): Result<DocumentKind, ConversionError> {
  if (b.length === 0) return err(failure('fax-document-empty', 'the document is empty'))
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return ok('pdf')
  const tag = b.subarray(0, 4).toString('hex')
  if (tag === '49492a00' || tag === '4d4d002a') return ok('tiff')
  return err(failure('fax-document-unsupported', 'the document is neither a PDF nor a TIFF'))
}

export interface ConversionOptions {
  readonly timeoutMs?: number
  /** Tool names or paths, for sites that keep them elsewhere. */
  readonly gs?: string
  readonly tiff2pdf?: string
  readonly tiffinfo?: string
}

export function createFaxConversion(o: ConversionOptions = {}): FaxConversion {
  const timeout = o.timeoutMs ?? 60_000
  const gs = o.gs ?? 'gs'
  const tiff2pdf = o.tiff2pdf ?? 'tiff2pdf'
  const tiffinfo = o.tiffinfo ?? 'tiffinfo'
  const describeTiff = async (tiff: string): Promise<Result<TiffFacts, ConversionError>> => {
    const r = await run(tiffinfo, [tiff], timeout)
    return r.ok ? readTiffInfo(r.value) : r
  }

  const pdfToFax = (pdf: string, out: string) =>
    // -g fixes the page at 1728 px (a fax line at 204 dpi) by 2292 rows (A4 at 196 dpi);
    // -dPDFFitPage scales whatever page size the PDF has into it.
    run(gs, ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=tiffg4', '-r204x196', '-g1728x2292', '-dFIXEDMEDIA', '-dPDFFitPage', `-sOutputFile=${out}`, pdf], timeout)

  return {
    describeTiff,
    async toFaxTiff(document, out) {
      const kind = documentKind(document)
      if (!kind.ok) return kind
      const work = await mkdtemp(join(tmpdir(), 'hotline-fax-'))
      try {
        const pdf = join(work, 'in.pdf')
        if (kind.value === 'tiff') {
          // Any TIFF (colour scan, 300 dpi …) goes through PDF so Ghostscript can fit it to the fax page.
          await writeFile(join(work, 'in.tif'), document)
          const r = await run(tiff2pdf, ['-o', pdf, join(work, 'in.tif')], timeout)
          if (!r.ok) return r
        } else {
          await writeFile(pdf, document)
        }
        const r = await pdfToFax(pdf, join(work, 'fax.tif'))
        if (!r.ok) return r
        // Ghostscript exits 0 even when it cannot parse the PDF; it just writes no page.
        if (!existsSync(join(work, 'fax.tif'))) return err(failure('fax-document-unreadable', `gs could not read the document: ${firstLines(r.value)}`))
        const facts = await describeTiff(join(work, 'fax.tif'))
        if (!facts.ok) return facts
        if (facts.value.pages === 0) return err(failure('fax-document-unreadable', 'the document has no pages'))
        await copyFile(join(work, 'fax.tif'), out)
        return ok({ pages: facts.value.pages })
      } finally {
        await rm(work, { recursive: true, force: true })
      }
    },
    async toPdf(tiff, out) {
      const r = await run(tiff2pdf, ['-o', out, tiff], timeout)
      return r.ok ? ok(undefined) : r
    },
  }
}

function readTiffInfo(text: string): Result<TiffFacts, ConversionError> {
  const pages = (text.match(/TIFF Directory at offset/g) ?? []).length
  const size = /Image Width: (\d+)/.exec(text)
  const res = /Resolution: ([\d.]+), ([\d.]+)/.exec(text)
  const comp = /Compression Scheme: (.+)/.exec(text)
  if (!pages || !size || !res) return err(failure('fax-document-unreadable', 'tiffinfo found no image'))
  return ok({ pages, width: Number(size[1]), xDpi: Math.round(Number(res[1])), yDpi: Math.round(Number(res[2])), compression: comp?.[1]?.trim() ?? 'unknown' })
}

const firstLines = (text: string): string => text.trim().split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' ')

/** Runs one tool; its output (stdout, then stderr) on success, a coded error otherwise. */
function run(tool: string, args: readonly string[], timeoutMs: number): Promise<Result<string, ConversionError>> {
  return new Promise((resolve) => {
    execFile(tool, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (e, stdout, stderr) => {
      if (!e) return resolve(ok(`${stdout}\n${stderr}`))
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return resolve(err(failure('fax-tools-missing', `${tool} is not installed (run scripts/install-fax-tools.sh)`)))
      if ((e as { killed?: boolean }).killed) return resolve(err(failure('fax-conversion-failed', `${tool} took longer than ${timeoutMs} ms`)))
      resolve(err(failure('fax-document-unreadable', `${tool} could not read the document: ${firstLines(stderr || stdout || e.message)}`)))
    })
  })
}
