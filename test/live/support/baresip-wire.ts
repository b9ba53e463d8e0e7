/**
 * What the live tier says to Debian's baresip (1.0.0) and what it reads back, pure so that a unit
 * test checks it without baresip: the config and accounts files of one desk phone, and the
 * ctrl_tcp protocol — JSON objects in netstrings (`<length>:<json>,`, modules/ctrl_tcp/ctrl_tcp.c),
 * commands `{command, params, token}` answered by `{response: true, ok, data, token}`, and events
 * `{event: true, class, type, param, peeruri, id, …}` pushed as they happen.
 */

export interface PhoneConfig {
  /** The address the phone binds (each phone its own loopback address: ports never collide). */
  readonly localIp: string
  /** ctrl_tcp's port on localIp. */
  readonly controlPort: number
  /** The WAV the phone sends as its microphone (aufile; 8 kHz mono). */
  readonly audioIn: string
  /** Where sndfile writes what the phone sent and heard, per call: dump-<peer>-enc.wav / -dec.wav. */
  readonly recordDir: string
}

/**
 * No sound card: aufile plays a WAV as the microphone, and the speaker is an aubridge device nobody
 * reads (1.0.0's aufile has no player; a player must open or the call gets no audio). sndfile,
 * an audio filter, dumps both directions of every call to WAV files, which the test measures.
 */
export function configText(c: PhoneConfig): string {
  return [
    'poll_method epoll',
    `sip_listen ${c.localIp}:5060`,
    `net_interface ${c.localIp}`,
    `audio_source aufile,${c.audioIn}`,
    'audio_player aubridge,nobody',
    'audio_alert aubridge,nobody',
    'ausrc_srate 8000',
    'auplay_srate 8000',
    'ausrc_channels 1',
    'auplay_channels 1',
    'audio_buffer 20-160',
    'rtp_tos 0',
    'jitter_buffer_delay 1-10',
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aufile.so',
    'module aubridge.so',
    'module sndfile.so',
    'module_app account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen ${c.localIp}:${c.controlPort}`,
    `snd_path ${c.recordDir}`,
    'sip_verify_server no',
    '',
  ].join('\n')
}

export interface PhoneAccount {
  readonly user: string
  readonly password: string
  readonly domain: string
  /** The PBX's internal profile, host:port: the registrar and outbound proxy. */
  readonly registrar: string
}

/** One line of baresip's `accounts` file: G.711 only (A-law first), RFC 2833 DTMF, manual answer. */
export function accountLine(a: PhoneAccount): string {
  return `<sip:${a.user}@${a.domain}>;auth_pass=${a.password};outbound="sip:${a.registrar};transport=udp";regint=120;answermode=manual;audio_codecs=PCMA,PCMU\n`
}

export function netstring(json: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(json), 'utf8')
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')])
}

/** Splits complete netstrings off the front of `buf`; what is left is an incomplete one. */
export function readNetstrings(buf: Buffer): { messages: unknown[]; rest: Buffer } {
  const messages: unknown[] = []
  let at = 0
  for (;;) {
    const colon = buf.indexOf(0x3a, at)
    if (colon < 0) break
    const lengthText = buf.subarray(at, colon).toString('ascii')
    if (!/^\d{1,9}$/.test(lengthText)) throw new Error(`baresip ctrl_tcp: not a netstring length: ${JSON.stringify(lengthText.slice(0, 20))}`)
    const end = colon + 1 + Number(lengthText)
    if (buf.length < end + 1) break
    if (buf[end] !== 0x2c) throw new Error('baresip ctrl_tcp: netstring without its trailing comma')
    messages.push(JSON.parse(buf.subarray(colon + 1, end).toString('utf8')))
    at = end + 1
  }
  return { messages, rest: buf.subarray(at) }
}

export type PhoneMessage =
  | { readonly kind: 'response'; readonly ok: boolean; readonly data: string; readonly token: string | undefined }
  | { readonly kind: 'event'; readonly type: string; readonly param: string; readonly peer: string; readonly callId: string }
  | { readonly kind: 'other'; readonly raw: unknown }

export function parseMessage(raw: unknown): PhoneMessage {
  if (typeof raw !== 'object' || raw === null) return { kind: 'other', raw }
  const m = raw as Record<string, unknown>
  const s = (v: unknown): string => (typeof v === 'string' ? v : '')
  if (m['response'] === true) return { kind: 'response', ok: m['ok'] === true, data: s(m['data']), token: typeof m['token'] === 'string' ? m['token'] : undefined }
  if (m['event'] === true) return { kind: 'event', type: s(m['type']), param: s(m['param']), peer: s(m['peeruri']), callId: s(m['id']) }
  return { kind: 'other', raw }
}
