/**
 * The live tier's media test: what recording and fax rely on, checked on a real FreeSWITCH through
 * Hotline's own code. Recording: the RecordingService drives `uuid_record` through its EslRecorder
 * (RECORD_STEREO for stereo), reads RECORD_START/RECORD_STOP and closes the row from the file on
 * disk. Fax: EslFaxPort sends a one-page TIFF made by Hotline's own conversion (txfax on the a-leg
 * of a loopback pair) and receives it on the b-leg (rxfax); the spandsp result events go through
 * parseFaxResult. Calls are loopback pairs as in freeswitch.test.ts; files go to a temp dir, which
 * must be writable by the switch (same host). Skipped, saying why, where no switch is found.
 */
import t, { type Test } from 'tap'
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EslCallControl } from '../../src/calls/index.ts'
import { connectEsl, type EslClient, type EslEvent } from '../../src/esl/index.ts'
import { createFaxConversion, EslFaxPort, outcomeOfSend, parseFaxResult } from '../../src/fax/index.ts'
import {
  defaultRecordingPolicy, defaultRetention, diskRecordingFiles, EslRecorder, KnexRecordingStore, parseRecordEvent, RecordingService,
} from '../../src/recording/index.ts'
import { callId, channelUuid, systemClock, type ChannelUuid } from '../../src/shared/index.ts'
import { closeStore, migrateLatest, openStore } from '../../src/store/index.ts'
import { findSwitch, nextEvent, wait } from './find-switch.ts'

const EVENTS = ['CHANNEL_PARK', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP_COMPLETE', 'RECORD_START', 'RECORD_STOP', 'CUSTOM']
const FAX_RESULTS = ['spandsp::rxfaxresult', 'spandsp::txfaxresult']

const found = await findSwitch(EVENTS, t)
if (typeof found !== 'string') found.client.close()
// find-switch subscribes no CUSTOM subclasses; this connection also takes the spandsp results.
const media = typeof found === 'string' ? found : await connectEsl({ host: found.host, port: found.port, password: found.password, events: EVENTS, subclasses: FAX_RESULTS, connectTimeoutMs: 2_000, timeoutMs: 5_000 })
const skip = typeof media === 'string' ? media : media.ok ? false : `${media.error.code}: ${media.error.message}`
const live = typeof media !== 'string' && media.ok ? media.value : undefined
t.teardown(() => live?.close())
if (skip) t.comment(`live tier skipped: ${skip}`)
t.setTimeout(180_000)

const work = mkdtempSync(join(tmpdir(), 'hotline-live-media-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

function client(): EslClient {
  if (!live) throw new Error('no live switch')
  return live
}
const next = (pred: (ev: EslEvent) => boolean): Promise<EslEvent> => nextEvent(client(), pred)

interface Pair {
  readonly a: ChannelUuid
  readonly b: ChannelUuid
}

/** Both legs are hung up when the test ends, whatever happened (uuid_kill of a gone leg is harmless). */
function killInTeardown(t: Test, legs: () => readonly string[]): void {
  t.teardown(async () => {
    for (const leg of legs()) await client().api(`uuid_kill ${leg} NORMAL_CLEARING`, wait)
  })
}

/** A parked loopback pair: a is ours, b (its far leg) answered and parked too. */
async function parkedPair(t: Test): Promise<Pair> {
  const a = channelUuid(randomUUID())
  let b = ''
  killInTeardown(t, () => [a, b].filter(Boolean))
  const parked = next((e) => e.name === 'CHANNEL_PARK' && e.header('Unique-ID') === a)
  const placed = await client().bgapi(`originate {origination_uuid=${a},hotline_live=yes}loopback/m:^:answer^park/default/inline &park()`, wait)
  if (!placed.ok || !placed.value.startsWith('+OK')) throw new Error(`originate: ${placed.ok ? placed.value : placed.error.message}`)
  await parked
  const far = await client().api(`uuid_getvar ${a} other_loopback_leg_uuid`, wait)
  b = far.ok ? far.value.trim() : ''
  if (!/^[0-9a-f-]{36}$/.test(b)) throw new Error(`no far leg: ${far.ok ? far.value : far.error.message}`)
  return { a, b: channelUuid(b) }
}

interface Wav {
  readonly channels: number
  readonly rate: number
  readonly bits: number
  readonly byteRate: number
  readonly dataBytes: number
  /** RMS of each channel's 16-bit samples. */
  readonly rms: readonly number[]
  /** How long some channel is loud (20 ms blocks with an RMS over 1000): the tone's length. */
  readonly loudMs: number
}

/** Reads a PCM WAV chunk by chunk (libsndfile may add chunks before `data`). */
function readWav(file: string): Wav {
  const buf = readFileSync(file)
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') throw new Error(`${file} is not a RIFF/WAVE file`)
  let fmt: { channels: number; rate: number; byteRate: number; bits: number } | undefined
  for (let at = 12; at + 8 <= buf.length;) {
    const id = buf.toString('latin1', at, at + 4)
    const size = buf.readUInt32LE(at + 4)
    const body = at + 8
    if (id === 'fmt ') fmt = { channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), byteRate: buf.readUInt32LE(body + 8), bits: buf.readUInt16LE(body + 14) }
    if (id === 'data') {
      if (!fmt || fmt.bits !== 16) throw new Error(`${file}: no 16-bit fmt before data`)
      const end = Math.min(buf.length, body + size)
      const frames = Math.floor((end - body) / (2 * fmt.channels))
      const block = fmt.rate / 50
      const sums = new Array<number>(fmt.channels).fill(0)
      let loudBlocks = 0
      for (let from = 0; from < frames; from += block) {
        const blockSums = new Array<number>(fmt.channels).fill(0)
        for (let f = from; f < Math.min(frames, from + block); f++) {
          for (let ch = 0; ch < fmt.channels; ch++) blockSums[ch]! += buf.readInt16LE(body + 2 * (f * fmt.channels + ch)) ** 2
        }
        blockSums.forEach((s, ch) => void (sums[ch]! += s))
        if (blockSums.some((s) => Math.sqrt(s / block) > 1_000)) loudBlocks++
      }
      return { ...fmt, dataBytes: end - body, rms: sums.map((s) => Math.sqrt(s / Math.max(1, frames))), loudMs: loudBlocks * 20 }
    }
    at = body + size + (size % 2)
  }
  throw new Error(`${file} has no data chunk`)
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')

async function recordingRig(t: Test, stereo: boolean) {
  const dir = mkdtempSync(join(work, 'rec-'))
  const db = openStore({ client: 'better-sqlite3', filename: join(dir, 'h.sqlite') })
  await migrateLatest(db)
  const store = new KnexRecordingStore(db)
  const problems: string[] = []
  const log = { info: () => undefined, warn: (o: object, m: string) => void problems.push(`${m} ${JSON.stringify(o)}`), error: (o: object, m: string) => void problems.push(`${m} ${JSON.stringify(o)}`) }
  // The same adapter the composition root builds: uuid_setvar / uuid_record through the client's api.
  const recorder = new EslRecorder((cmd) => client().api(cmd, wait))
  const service = new RecordingService({
    store, recorder, files: diskRecordingFiles, clock: systemClock, log, stopGraceMs: 60_000,
    policy: { ...defaultRecordingPolicy(join(dir, 'recordings')), stereo }, retention: defaultRetention,
    contextOf: () => ({ agentId: 'live-agent', queue: 'general', callerNumber: '13800000001' }),
  })
  // As center.ts feeds it: every RECORD_START / RECORD_STOP of the connection.
  const off = client().onEvent((ev) => {
    if (ev.name === 'RECORD_START' || ev.name === 'RECORD_STOP') service.onRecordEvent(ev.headers)
  })
  t.teardown(async () => {
    off()
    service.stop()
    await service.flush()
    await closeStore(db)
  })
  return { store, service, problems }
}

const TONE_MS = 2_000
const TAIL_MS = 800

for (const stereo of [false, true]) {
  const shape = stereo ? 'stereo: 2 channels, the tone on one of them' : 'mono 8 kHz 16-bit'
  t.test(`a call reaching an agent is recorded by uuid_record (${shape}), closed complete from RECORD_STOP with the file's sha256`, { skip }, async (t) => {
    const { store, service, problems } = await recordingRig(t, stereo)
    const { a, b } = await parkedPair(t)
    const call = callId(`live-${randomUUID()}`)
    const mine = (name: string) => (e: EslEvent): boolean => e.name === name && e.header('Unique-ID') === a
    const started = next(mine('RECORD_START'))
    // The customer leg is a; b stands for the agent. The service starts segment 1 on a.
    service.onCallEvent({ type: 'call-bridged', callId: call, customerLeg: a, agentLeg: b })
    const start = await started
    const startedAt = Date.now()
    await service.flush()
    const running = await store.get(`${call}-1`)
    t.match(running, { status: 'recording', leg: a, channels: stereo ? 2 : 1, format: 'wav' }, 'the row was written before the start')
    if (!running) return
    t.equal(start.header('Record-File-Path'), running.file, 'RECORD_START names the file Hotline chose')
    t.same(parseRecordEvent(start.headers), { ok: true, value: { kind: 'started', leg: a, file: running.file } })

    // The far leg plays a 2 s tone: through the loopback it is what leg a hears. Then silence,
    // because the file misses the last ~0.5 s before the stop (see below).
    const played = await new EslCallControl(client()).play(b, [`tone_stream://%(${TONE_MS},0,1000)`, `silence_stream://${TAIL_MS}`])
    t.same(played, { ok: true, value: 'played' })
    const stopped = next(mine('RECORD_STOP'))
    service.onCallEvent({ type: 'call-unbridged', callId: call, customerLeg: a, agentLeg: undefined })
    const stop = await stopped
    const wallMs = Date.now() - startedAt
    await service.flush()

    t.equal(stop.header('Record-File-Path'), running.file)
    t.equal(stop.header('Record-Completion-Cause'), 'success-maxtime', 'the cause after a stop (fact 14)')
    for (const h of ['variable_record_ms', 'variable_record_file_size', 'variable_record_samples', 'variable_record_seconds']) t.match(stop.header(h), /^\d+$/, `${h} is a whole number`)
    const fact = parseRecordEvent(stop.headers)
    const reportedMs = Number(stop.header('variable_record_ms'))
    t.match(fact, { ok: true, value: { kind: 'stopped', leg: a, file: running.file, cause: 'success-maxtime', durationMs: reportedMs } })
    // FreeSWITCH 1.11.2, parked loopback leg: the file is ~500 ms shorter than the time between the
    // start and the stop, the last ~0.5 s before `uuid_record stop` never reaches it. record_ms is the
    // file's own length, which is what Hotline stores.
    t.ok(reportedMs >= wallMs - 800 && reportedMs <= wallMs + 100, `record_ms ${reportedMs} for ${wallMs} ms between start and stop`)

    t.ok(existsSync(running.file), 'the file is on disk where Hotline expects it')
    const wav = readWav(running.file)
    const size = statSync(running.file).size
    t.match(wav, { channels: stereo ? 2 : 1, rate: 8_000, bits: 16 }, `the format Hotline's metadata says (${wav.channels} ch, ${wav.rate} Hz)`)
    const fileMs = (wav.dataBytes / wav.byteRate) * 1000
    t.ok(Math.abs(fileMs - reportedMs) <= 100, `the file holds ${Math.round(fileMs)} ms, record_ms says ${reportedMs}`)
    t.equal(Number(stop.header('variable_record_file_size')), size, 'variable_record_file_size is the size on disk')
    t.ok(Math.abs(wav.loudMs - TONE_MS) <= 100, `the whole tone is in the file (${wav.loudMs} ms loud)`)
    if (stereo) {
      const [loud = 0, quiet = 0] = [...wav.rms].sort((x, y) => y - x)
      t.ok(loud > 1_000 && quiet < loud / 20, `one channel carries the tone, the other not (RMS ${wav.rms.map(Math.round).join(' / ')})`)
    } else {
      t.ok((wav.rms[0] ?? 0) > 1_000, `the tone is in the recording (RMS ${Math.round(wav.rms[0] ?? 0)})`)
    }

    t.match(await store.get(`${call}-1`), { status: 'complete', durationMs: reportedMs, sizeBytes: size, sha256: sha256(running.file), problem: undefined })
    t.same(problems, [], 'nothing logged as a problem')
  })
}

/** A one-page PDF with a line of text: enough for Ghostscript to render a fax page. */
function onePagePdf(text: string): Buffer {
  const content = `BT /F1 36 Tf 72 700 Td (${text}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ]
  let pdf = '%PDF-1.4\n'
  const offsets = objects.map((o, i) => {
    const at = pdf.length
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`
    return at
  })
  const xref = pdf.length
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(pdf, 'latin1')
}

// The fax page is made by Hotline's own conversion; without its tools there is nothing to send.
const conversion = createFaxConversion()
const txTiff = join(work, 'fax', 'out', 'live', 'fax.tif')
mkdirSync(join(work, 'fax', 'out', 'live'), { recursive: true })
const made = skip ? undefined : await conversion.toFaxTiff(onePagePdf('Hotline live fax test'), txTiff)
const faxSkip = skip || (made && !made.ok ? `no fax page: ${made.error.code}: ${made.error.message}` : false)
if (faxSkip && !skip) t.comment(`fax test skipped: ${faxSkip}`)

t.test('a one-page fax goes from txfax on one loopback leg to rxfax on the other; spandsp reports what parseFaxResult reads', { skip: faxSkip }, async (t) => {
  const port = new EslFaxPort({ execute: (u, app, arg) => client().execute(u, app, arg, { timeoutMs: 150_000 }), bgapi: (cmd) => client().bgapi(cmd, wait) })
  const control = new EslCallControl(client())
  const tx = channelUuid(randomUUID())
  let rx = ''
  killInTeardown(t, () => [tx, rx].filter(Boolean))
  const results: EslEvent[] = []
  const off = client().onEvent((e) => void (e.subclass !== undefined && FAX_RESULTS.includes(e.subclass) ? results.push(e) : undefined))
  t.teardown(off)
  const txDone = next((e) => e.subclass === 'spandsp::txfaxresult' && e.header('Unique-ID') === tx)

  // As the outbound service dials, with the loopback in place of a trunk.
  const sent = await port.send('loopback/m:^:answer^park/default/inline', {
    origination_uuid: tx, hotline_fax_job: 'live', fax_enable_t38: 'false', ignore_early_media: 'true', fax_ident: 'HOTLINE TX', hotline_live: 'yes',
  }, txTiff)
  t.same(sent, { ok: true, value: tx }, 'the originate answers +OK with our leg once the far end answered')
  const far = await client().api(`uuid_getvar ${tx} other_loopback_leg_uuid`, wait)
  rx = far.ok ? far.value.trim() : ''
  const leg = channelUuid(rx)

  // As the inbound service receives: station id and T.38 off on the leg, answer, rxfax.
  t.same(await control.setVars(leg, { fax_enable_t38: 'false', fax_ident: 'HOTLINE RX' }), { ok: true, value: undefined })
  t.same(await control.answer(leg), { ok: true, value: undefined })
  const rxTiff = join(work, 'fax', 'in', 'live.tif')
  mkdirSync(join(work, 'fax', 'in'), { recursive: true })
  t.same(await port.receive(leg, rxTiff), { ok: true, value: undefined }, 'rxfax ran to its end')
  await txDone

  const rxEvent = results.find((e) => e.subclass === 'spandsp::rxfaxresult' && e.header('Unique-ID') === rx)
  const txEvent = results.find((e) => e.subclass === 'spandsp::txfaxresult' && e.header('Unique-ID') === tx)
  t.ok(rxEvent, 'spandsp::rxfaxresult for the receiving leg')
  t.ok(txEvent, 'spandsp::txfaxresult for the sending leg')
  for (const e of [rxEvent, txEvent]) {
    if (!e) continue
    const missing = ['fax-success', 'fax-result-code', 'fax-result-text', 'fax-document-transferred-pages', 'fax-document-total-pages', 'fax-transfer-rate', 'fax-ecm-used', 'fax-t38-status', 'fax-bad-rows', 'fax-image-resolution', 'fax-local-station-id', 'fax-remote-station-id']
      .filter((h) => e.header(h) === undefined)
    t.same(missing, [], `${e.subclass ?? ''} carries every field parseFaxResult reads`)
  }
  const rxResult = rxEvent && parseFaxResult(rxEvent.headers)
  const txResult = txEvent && parseFaxResult(txEvent.headers)
  const rate = (r: { transferRate: number | undefined } | undefined): boolean => [2400, 4800, 7200, 9600, 12000, 14400].includes(r?.transferRate ?? 0)
  t.match(rxResult, { direction: 'rx', leg: rx, success: true, code: 0, text: 'OK', pages: 1, totalPages: 1, badRows: 0, localStationId: 'HOTLINE RX', remoteStationId: 'HOTLINE TX' })
  t.match(txResult, { direction: 'tx', leg: tx, success: true, code: 0, text: 'OK', pages: 1, totalPages: 1, localStationId: 'HOTLINE TX', remoteStationId: 'HOTLINE RX' })
  t.ok(rate(rxResult) && rate(txResult), `a V.17/V.29/V.27 rate (${rxResult?.transferRate ?? '-'} / ${txResult?.transferRate ?? '-'} bps)`)
  t.same(txResult && outcomeOfSend(txResult), { kind: 'sent', pages: 1 }, 'the outbound attempt counts as sent')

  t.ok(existsSync(rxTiff), 'rxfax wrote the received page where Hotline asked')
  const facts = await conversion.describeTiff(rxTiff)
  t.match(facts, { ok: true, value: { pages: 1, width: 1728 } }, 'one fax-width page')
  t.same(await conversion.toPdf(rxTiff, join(work, 'fax', 'in', 'live.pdf')), { ok: true, value: undefined }, 'and it converts to a PDF for the browser')
})
