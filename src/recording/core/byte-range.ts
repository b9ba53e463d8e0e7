/**
 * One HTTP byte range (RFC 9110 §14) so that a browser `<audio>` can seek. Several ranges in one
 * request are not needed by browsers; such a request gets the whole file (allowed by the RFC).
 */
export type RangeAnswer =
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' }

export function byteRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' }
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header.trim())
  if (!m) return { kind: 'whole' } // a malformed or multi-range header is ignored, as the RFC allows
  const [, a = '', b = ''] = m
  if (a === '' && b === '') return { kind: 'whole' }
  if (a === '') {
    const suffix = Number(b)
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(a)
  if (start >= size) return { kind: 'unsatisfiable' }
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1)
  if (end < start) return { kind: 'unsatisfiable' }
  return { kind: 'partial', start, end }
}
