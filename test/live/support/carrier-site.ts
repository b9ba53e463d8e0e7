/**
 * The world outside the PBX, as a second FreeSWITCH: the E1<->SIP media gateway of span 1
 * (profile `e1`, 127.0.0.2:5060) and the carrier's SIP trunk (profile `pstn`, 127.0.0.3:5060).
 * A test places trunk calls from it into the kit's external profile (`originateTrunkCall`) and
 * drives them over its ESL (DTMF as RFC 2833, playback, record). Calls the PBX sends out (remote
 * agents, callbacks) arrive in its context `world` and are parked unanswered, for the test to
 * answer (`uuid_answer`) or refuse. Its config is ours (below), small on purpose.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CARRIER, E1_GATEWAY } from './kit-site.ts'
import { startFreeswitch, type FreeswitchInstance } from './freeswitch-instance.ts'

const profile = (name: string, ip: string): string => `
    <profile name="${name}">
      <settings>
        <param name="sip-ip" value="${ip}"/>
        <param name="rtp-ip" value="${ip}"/>
        <param name="sip-port" value="5060"/>
        <param name="dialplan" value="XML"/>
        <param name="context" value="world"/>
        <param name="auth-calls" value="false"/>
        <param name="codec-prefs" value="PCMA,PCMU"/>
        <param name="dtmf-type" value="rfc2833"/>
        <param name="rfc2833-pt" value="101"/>
        <param name="rtp-timer-name" value="soft"/>
        <param name="inbound-codec-negotiation" value="generous"/>
      </settings>
    </profile>`

function carrierXml(password: string, faxDir: string): string {
  const modules = ['mod_console', 'mod_logfile', 'mod_event_socket', 'mod_sofia', 'mod_commands', 'mod_dptools', 'mod_dialplan_xml',
    'mod_sndfile', 'mod_native_file', 'mod_tone_stream', 'mod_spandsp', 'mod_loopback']
  return `<?xml version="1.0"?>
<document type="freeswitch/xml">
  <section name="configuration">
    <configuration name="switch.conf"><settings>
      <param name="max-sessions" value="500"/><param name="sessions-per-second" value="500"/>
      <param name="rtp-start-port" value="20000"/><param name="rtp-end-port" value="22000"/>
      <param name="loglevel" value="info"/>
    </settings></configuration>
    <configuration name="modules.conf"><modules>
      ${modules.map((m) => `<load module="${m}"/>`).join('\n      ')}
    </modules></configuration>
    <configuration name="console.conf"><mappings><map name="all" value="console,info,notice,warning,err,crit,alert"/></mappings><settings><param name="loglevel" value="info"/></settings></configuration>
    <configuration name="logfile.conf"><profiles><profile name="default"><settings/><mappings><map name="all" value="info,notice,warning,err,crit,alert"/></mappings></profile></profiles></configuration>
    <configuration name="event_socket.conf"><settings>
      <param name="listen-ip" value="${E1_GATEWAY}"/><param name="listen-port" value="8021"/>
      <param name="password" value="${password}"/><param name="apply-inbound-acl" value="loopback.auto"/>
    </settings></configuration>
    <configuration name="spandsp.conf"><fax-settings><param name="use-ecm" value="true"/><param name="ident" value="Carrier"/></fax-settings></configuration>
    <configuration name="sofia.conf"><global_settings><param name="log-level" value="0"/></global_settings><profiles>${profile('e1', E1_GATEWAY)}${profile('pstn', CARRIER)}
    </profiles></configuration>
  </section>
  <section name="dialplan">
    <context name="world">
      <!-- Fax machines out in the world: 025660… asks for T.38 (re-INVITE), 025661… stays on G.711. -->
      <extension name="fax-machine-t38">
        <condition field="destination_number" expression="^(025660[0-9]+)$">
          <action application="set" data="fax_enable_t38=true"/>
          <action application="set" data="fax_enable_t38_request=true"/>
          <action application="set" data="fax_ident=WORLD T38"/>
          <action application="answer"/>
          <action application="rxfax" data="${faxDir}/rx-$1.tif"/>
          <action application="hangup"/>
        </condition>
      </extension>
      <extension name="fax-machine-audio">
        <condition field="destination_number" expression="^(025661[0-9]+)$">
          <action application="set" data="fax_enable_t38=false"/>
          <action application="set" data="fax_ident=WORLD AUDIO"/>
          <action application="answer"/>
          <action application="rxfax" data="${faxDir}/rx-$1.tif"/>
          <action application="hangup"/>
        </condition>
      </extension>
      <!-- A remote agent who answers at once (bench:live's load): 02577… answers and waits. -->
      <extension name="agent-answers-at-once">
        <condition field="destination_number" expression="^(02577[0-9]+)$">
          <action application="answer"/>
          <action application="park"/>
        </condition>
      </extension>
      <extension name="park-for-the-test">
        <condition field="destination_number" expression="^(.*)$">
          <action application="set" data="lab_dialled=$1"/>
          <action application="park"/>
        </condition>
      </extension>
    </context>
  </section>
</document>
`
}

export type CarrierSwitch = FreeswitchInstance

export async function startCarrier(dir: string): Promise<CarrierSwitch> {
  const password = randomBytes(18).toString('hex')
  const confDir = join(dir, 'carrier-conf')
  mkdirSync(confDir, { recursive: true })
  const faxDir = join(dir, 'carrier-fax')
  mkdirSync(faxDir, { recursive: true })
  writeFileSync(join(confDir, 'freeswitch.xml'), carrierXml(password, faxDir))
  return startFreeswitch({ name: 'carrier', confDir, dir: join(dir, 'carrier'), esl: { host: E1_GATEWAY, port: 8021, password } })
}
