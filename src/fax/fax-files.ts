/** Where fax files live under the fax directory. Dates are UTC, so a path never depends on the host's zone. */
import { join } from 'node:path'
import type { Instant } from '../shared/index.ts'

const pad = (n: number): string => String(n).padStart(2, '0')

/** `<faxDir>/in/YYYY/MM/DD/<id>.tif` */
export function inboundTiffPath(faxDir: string, id: string, at: Instant): string {
  const d = new Date(at)
  return join(faxDir, 'in', String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()), `${id}.tif`)
}

export const pdfPathFor = (tiff: string): string => tiff.replace(/\.tif$/, '.pdf')

/** `<faxDir>/out/<job>/`: the document as submitted and the fax TIFF sent. */
export const outboundDir = (faxDir: string, job: string): string => join(faxDir, 'out', job)
