/**
 * Fax through the site's trunks on the real switch, through `hotline start`: a fax machine out in
 * the world sends two pages to the kit's fax DID over the E1 gateway, with T.38 and on G.711 audio,
 * and Hotline files each as received with its pages and serves the PDF; an agent sends a PDF to a
 * fax machine out in the world through the API, with T.38 (the far machine asks for it) and
 * without, and the job ends sent with the far machine's file holding the pages.
 * Judged by spandsp's own results on the far switch (the channel's fax_* variables at hangup).
 */
import t, { type Test } from 'tap'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { EslEvent } from '../../src/esl/index.ts'
import { createFaxConversion } from '../../src/fax/index.ts'
import { labUnavailable } from './support/freeswitch-instance.ts'
import { must } from './support/hotline-api.ts'
import { HOTLINE_HTTP } from './support/hotline-process.ts'
import { PBX } from './support/kit-site.ts'
import { startLab, type Lab } from './support/lab.ts'

const skip = labUnavailable() ?? false
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(600_000)

/** A PDF of `pages` pages with a line of text each: enough for Ghostscript to render fax pages. */
function pdf(pages: number): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${Array.from({ length: pages }, (_, i) => `${4 + i * 2} 0 R`).join(' ')}] /Count ${pages} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>']
  for (let i = 0; i < pages; i++) {
    const content = `BT /F1 36 Tf 72 700 Td (Hotline live fax page ${i + 1}) Tj ET`
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + i * 2} 0 R >>`, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`)
  }
  let out = '%PDF-1.4\n'
  const offsets = objects.map((o, i) => {
    const at = out.length
    out += `${i + 1} 0 obj\n${o}\nendobj\n`
    return at
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

const faxVars = (e: EslEvent): Record<string, string> =>
  Object.fromEntries(['fax_success', 'fax_result_code', 'fax_result_text', 'fax_document_transferred_pages', 'fax_ecm_used', 'fax_transfer_rate', 't38_status', 'has_t38', 't38_broken_boolean']
    .concat(['fax_remote_station_id'])
    .map((k): [string, string] => [k, e.header(`variable_${k}`) ?? '']).filter(([, v]) => v !== ''))

type Fax = { id: string; status: string; pages?: number; t38Status?: string }

async function inbound(t: Test, lab: Lab, tiff: string, t38: boolean, from: string): Promise<void> {
  const far = crypto.randomUUID()
  const c = lab.carrierWatch
  const done = c.next((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.header('Unique-ID') === far, 'the sending machine hung up', { since: c.mark, timeoutMs: 240_000 })
  const vars = [`origination_uuid=${far}`, `origination_caller_id_number=${from}`, `fax_enable_t38=${t38}`, `fax_enable_t38_request=${t38}`, "fax_ident='WORLD SENDER'"]
  const r = await c.api(`originate {${vars.join(',')}}sofia/e1/96300@${PBX.host}:${PBX.externalPort} &txfax(${tiff})`)
  // A value with a space must be quoted inside {…}, or switch_ivr_originate.c fails the whole
  // dial string (Parse Error!, DESTINATION_OUT_OF_ORDER).
  if (!r.startsWith('+OK')) throw new Error(`the fax call was not answered: ${r}`)
  const sent = faxVars(await done)
  t.comment(`sender (${t38 ? 'T.38' : 'G.711'}): ${JSON.stringify(sent)}`)
  t.equal(sent['fax_success'], '1', 'the sender says the fax went')
  t.equal(sent['fax_document_transferred_pages'], '2', 'two pages')
  if (t38) t.match(sent['t38_status'] ?? sent['has_t38'] ?? '', /on|true|negotiated/i, 'over T.38')
  else t.notOk(sent['has_t38'], 'over G.711 audio (no T.38 offered)')
  // Hotline files it on spandsp::rxfaxresult, which may reach it after the sender's hangup.
  const mine = await settled(async () => {
    const list = await must(lab.admin.call<{ faxes: Fax[] }>('GET', '/faxes'), 'the faxes')
    return list.faxes.find((f) => JSON.stringify(f).includes(from))
  }, (f) => f !== undefined && f.status !== 'receiving')
  t.match(mine, { status: 'received', pages: 2 }, 'Hotline filed it as received, 2 pages')
  if (t38) t.match(mine, { t38Status: /negotiated|on/ }, "Hotline's record says T.38")
  const res = await fetch(`http://${HOTLINE_HTTP.host}:${HOTLINE_HTTP.port}/api/v1/faxes/${mine?.id}/pdf`, { headers: { authorization: `Bearer ${lab.admin.token}` } })
  t.equal(res.status, 200, 'the PDF is served')
  t.equal(res.headers.get('content-type'), 'application/pdf')
  t.equal((await res.arrayBuffer()).byteLength > 1000, true, 'a real PDF')
}

/** Reads `get` until `done` holds or 30 s pass (a state Hotline reaches on an event it gets, not on ours). */
async function settled<T>(get: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const v = await get()
    if (done(v) || Date.now() > deadline) return v
    await new Promise((r) => setTimeout(r, 200))
  }
}

async function outbound(t: Test, lab: Lab, number: string, t38: boolean): Promise<void> {
  const c = lab.carrierWatch
  const done = c.next((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.header('Caller-Destination-Number') === number, 'the far machine hung up', { since: c.mark, timeoutMs: 240_000 })
  const job = await must(lab.admin.call<{ id: string }>('POST', '/fax-jobs', { destination: number, document: pdf(2).toString('base64') }), 'the fax job')
  const hungUp = await done
  const got = faxVars(hungUp)
  t.equal(hungUp.header('Caller-Caller-ID-Number'), '02596300', "the far end saw the site's fax number (fax.callerIdNumber)")
  t.comment(`far machine (${t38 ? 'T.38' : 'G.711'}): ${JSON.stringify(got)}`)
  t.equal(got['fax_success'], '1', 'the far machine received it')
  t.equal(got['fax_document_transferred_pages'], '2', 'two pages')
  if (t38) t.match(got['t38_status'] ?? got['has_t38'] ?? '', /on|true|negotiated/i, 'over T.38')
  else t.notOk(got['has_t38'], 'over G.711 audio (no T.38 offered)')
  // The far machine's hangup and Hotline's spandsp::txfaxresult reach Hotline in either order:
  // the job is read until it leaves `sending`, with a deadline.
  const after = await settled(() => must(lab.admin.call<Record<string, unknown>>('GET', `/fax-jobs/${job.id}`), 'the job'), (j) => j['status'] !== 'sending' && j['status'] !== 'queued')
  t.comment(JSON.stringify(after).slice(0, 600))
  t.ok(existsSync(join(lab.dir, 'carrier-fax', `rx-${number}.tif`)), 'the far machine\'s file')
  t.match(after, { status: 'sent', pages: 2 }, 'the job ends sent')
  t.equal(got['fax_remote_station_id'], 'HOTLINE LIVE', "the far machine printed the site's station id")
}

t.test('fax in and out through the trunks, with T.38 and on G.711', { skip }, async (t) => {
  const lab = await startLab(t, { hotline: { fax: '{ channels: 2, callerIdNumber: "02596300", stationId: "HOTLINE LIVE" }' } })
  const tiff = join(lab.dir, 'world', 'two-pages.tif')
  mkdirSync(join(lab.dir, 'world'), { recursive: true })
  const made = await createFaxConversion().toFaxTiff(pdf(2), tiff)
  if (!made.ok) throw new Error(`no fax pages: ${made.error.message}`)
  // Two faxes at once each way (the site's fax.channels is 2): T.38 beside G.711.
  await t.test('in, T.38 and G.711 at once', (t) => Promise.all([inbound(t, lab, tiff, true, '02588880001'), inbound(t, lab, tiff, false, '02588880002')]))
  await t.test('out, T.38 and G.711 at once', (t) => Promise.all([outbound(t, lab, '0256601234', true), outbound(t, lab, '0256611234', false)]))
})
