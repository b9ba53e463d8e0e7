import t from 'tap'
import { channelUuid } from '../../shared/index.ts'
import { audit, freshAudit } from './audit.ts'
import type { ChannelRow } from './reconcile.ts'

const row = (uuid: string, presenceData = ''): ChannelRow => ({ uuid: channelUuid(uuid), name: `sofia/external/${uuid}`, state: 'CS_EXECUTE', presenceData })

t.test('a tracked leg the switch does not list is a ghost only at the second look in a row', (t) => {
  const first = audit(freshAudit, new Set(['a', 'b']), [row('a')])
  t.same(first.ghosts, [])
  const second = audit(first.memory, new Set(['a', 'b']), [row('a')])
  t.same(second.ghosts, ['b'])
  t.same([...second.memory.missing], [], 'reported once')
  const back = audit(first.memory, new Set(['a', 'b']), [row('a'), row('b')])
  t.same(back.ghosts, [], 'listed again (the list lagged an event): not a ghost')
  t.end()
})

t.test("an untracked caller held for Hotline is a stray at the second look; the switch's other channels are not Hotline's business", (t) => {
  const listed = [row('c', 'hotline_entry=96200;hotline_region=nanjing'), row('phone-to-phone'), row('d', 'other=1;hotline_entry=fax')]
  const first = audit(freshAudit, new Set(), listed)
  t.same(first.strays, [])
  const second = audit(first.memory, new Set(), listed)
  t.same(second.strays, ['c', 'd'])
  t.same(audit(first.memory, new Set(['c', 'd']), listed).strays, [], 'tracked meanwhile: nothing to adopt')
  t.end()
})
