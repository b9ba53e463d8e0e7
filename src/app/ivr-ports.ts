/**
 * The IVR's ports answered by the CRM and the work-order desk (ARCHITECTURE: the app wires
 * domains together; neither module knows the other).
 */
import type { Crm } from '../crm/index.ts'
import type { IvrPorts } from '../ivr/index.ts'
import { failure, ok, type Clock } from '../shared/index.ts'
import { ivrSlotChoice, type WorkOrderDesk } from '../workorders/index.ts'

/** Every IVR work-order kind as a desk type; a phone order is an enquiry the agents fulfil. */
const DESK_TYPE = { repair: 'repair', installation: 'installation', 'ppv-order': 'enquiry' } as const

export function ivrPorts(crm: Crm, desk: WorkOrderDesk, clock: Clock): IvrPorts {
  const customer = async (q: { phone: string } | { account: string }) => {
    const c = await crm.findCustomer(q)
    return c ? { account: c.account, name: c.name, tier: c.tier, area: c.area, balanceFen: c.balanceFen - c.arrearsFen } : null
  }
  return {
    customers: { byCaller: (phone) => customer({ phone }), byAccount: (account) => customer({ account }) },
    outages: {
      activeFor: async (area) => {
        const o = await crm.activeOutage(area)
        return o ? { area: o.area } : null
      },
    },
    workOrders: {
      create: async (order) => {
        const details: Record<string, string | number | boolean> = {}
        for (const [k, v] of Object.entries(order.details)) if (v !== null) details[k] = v
        // The installation menu's key becomes the slot it names; without one the desk refuses
        // the order (work-order-slot-required) and the caller would be sent to an agent.
        const key = order.details['slot']
        const slot = order.type === 'installation' && typeof key === 'string' ? ivrSlotChoice(key, clock.now(), desk.slotPlan) : undefined
        const r = await desk.createWorkOrder({
          ...(slot ? { slot } : {}),
          type: DESK_TYPE[order.type], account: order.account ?? undefined, caller: order.caller, details, createdBy: 'ivr',
          summary: order.type === 'ppv-order' ? 'pay-per-view order by phone' : `${order.type} reported in the IVR`,
        })
        // The caller hears the reference digit by digit: the letter prefix (R…) is for the screen.
        return r.ok ? ok({ reference: r.value.reference.replace(/\D/g, '') }) : { ok: false, error: failure(r.error.code, r.error.message) }
      },
    },
  }
}
