/**
 * FreeSWITCH URL-encodes plain-event values with %XX only ('+' is sent as %2B, never meaning a
 * space). Caller names from PRI gateways are often not UTF-8: modesl dies on `Jos%E9` (node-esl
 * #59) because decodeURIComponent throws. This never throws: valid UTF-8 first, then GB18030 when
 * the bytes read as Chinese text (GBK names are ordinary in our market), else Latin-1.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true })
const gb18030 = ((): InstanceType<typeof TextDecoder> | undefined => {
  try {
    return new TextDecoder('gb18030', { fatal: true })
  } catch {
    return undefined // a Node built without full ICU: fall through to Latin-1
  }
})()
const CJK_OR_ASCII = /^[\x20-\x7e\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]*$/

export function urlDecode(s: string): string {
  if (s.indexOf('%') < 0) return s
  try {
    return decodeURIComponent(s)
  } catch {
    return decodeBytes(percentBytes(s))
  }
}

/** Decodes raw bytes of unknown charset the same way as a URL-encoded value. */
export function decodeBytes(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes)
  } catch {
    if (gb18030 && highBytesPaired(bytes)) {
      try {
        const text = gb18030.decode(bytes)
        if (CJK_OR_ASCII.test(text)) return text
      } catch {
        // not GB18030 either: Latin-1 below maps every byte
      }
    }
    return Buffer.from(bytes).toString('latin1')
  }
}

/**
 * Chinese names in GBK are pairs of high bytes (GB2312: both 0xA1-0xFE). A Latin-1 letter followed
 * by ASCII (`Ren%E9e`, `M%FCller`) would also read as a valid GBK pair with an ASCII trail byte, so
 * such input is not taken for Chinese.
 */
function highBytesPaired(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) continue
    if ((bytes[i + 1] ?? 0) < 0x80) return false
    i++
  }
  return true
}

function percentBytes(s: string): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x25 && i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16))
      i += 2
    } else if (c < 0x80) {
      out.push(c)
    } else {
      const cp = s.codePointAt(i)!
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) out.push(b)
      if (cp > 0xffff) i++
    }
  }
  return Uint8Array.from(out)
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}
