/**
 * `xml_locate` (mod_commands.c xml_locate_function) for the one lookup Hotline makes:
 * `xml_locate configuration configuration name sofia.conf`, which doctor reads each profile's
 * rtp-timer-name from. The text follows what the real switch sent for the kit
 * (test/fixtures/freeswitch-replies/xml-locate-sofia-conf.txt): switch_xml_toxml's
 * `<param name="x" value="y"></param>`, comments dropped, the source file's indentation kept.
 * Only the settings the simulated setup has are written. Other configurations are not
 * simulated and answer as a missing one does: `can't find anything`.
 */
import type { SwitchSetup } from './sofia.ts'

const NOT_FOUND = "can't find anything\n"

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const param = (name: string, value: string): string => `            <param name="${escape(name)}" value="${escape(value)}"></param>\n\n`

function profileXml(setup: SwitchSetup, name: string): string {
  const timer = setup.rtpTimers.get(name)
  const settings = timer === undefined ? '' : param('rtp-timer-name', timer)
  return `    <profile name="${escape(name)}">\n        <settings>\n${settings}  </settings>\n\n    </profile>\n\n\n`
}

function sofiaConf(setup: SwitchSetup): string {
  return '<configuration name="sofia.conf" description="SIP">\n    <profiles>\n\n'
    + setup.profiles.map((p) => profileXml(setup, p)).join('')
    + '  </profiles>\n\n</configuration>\n'
}

/** `args`: the words after `xml_locate`. */
export function xmlLocate(setup: SwitchSetup, args: readonly string[]): string {
  // mod_commands takes 1 word (root) or 4 (section, tag, attribute, value), else "-ERR bad args".
  if (args.length !== 1 && args.length !== 4) return '-ERR bad args\n'
  const [section, tag, attr, value] = args
  if (section === 'configuration' && tag === 'configuration' && attr === 'name' && value === 'sofia.conf') return sofiaConf(setup)
  return NOT_FOUND
}
