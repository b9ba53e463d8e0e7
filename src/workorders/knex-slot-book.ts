/** Appointment slot bookings: capacity and booked count per area, day and slot. */
import type { Knex } from 'knex'
import { slotKey, type SlotCount, type SlotRef } from './core/index.ts'

interface SlotRow { area: string; day: string; slot: string; capacity: number | string; booked: number | string }

export class KnexSlotBook {
  readonly #db: Knex
  constructor(db: Knex) {
    this.#db = db
  }

  /**
   * Takes one place in a slot, or reports it full. The row is created on first use with the
   * plan's capacity; the booking itself is one conditional UPDATE, so concurrent bookings can
   * never push `booked` past `capacity` whatever the isolation level.
   */
  async book(area: string, ref: SlotRef, capacity: number, db: Knex = this.#db): Promise<boolean> {
    await db('appointment_slots').insert({ area, day: ref.day, slot: ref.slot, capacity, booked: 0 }).onConflict(['area', 'day', 'slot']).ignore()
    const n = await db('appointment_slots')
      .where({ area, day: ref.day, slot: ref.slot })
      .andWhere('booked', '<', db.ref('capacity'))
      .increment('booked', 1)
    return n === 1
  }

  async release(area: string, ref: SlotRef, db: Knex = this.#db): Promise<void> {
    await db('appointment_slots').where({ area, day: ref.day, slot: ref.slot }).andWhere('booked', '>', 0).decrement('booked', 1)
  }

  /** A supervisor's override for one day (e.g. fewer installers on a holiday). */
  async setCapacity(area: string, ref: SlotRef, capacity: number): Promise<void> {
    await this.#db('appointment_slots').insert({ area, day: ref.day, slot: ref.slot, capacity, booked: 0 })
      .onConflict(['area', 'day', 'slot']).merge({ capacity })
  }

  /** Counts for an area between two local days (inclusive), keyed by slotKey. */
  async counts(area: string, fromDay: string, toDay: string): Promise<Map<string, SlotCount>> {
    const rows = (await this.#db('appointment_slots').where({ area }).andWhere('day', '>=', fromDay).andWhere('day', '<=', toDay)) as SlotRow[]
    return new Map(rows.map((r) => [slotKey(r.area, { day: r.day, slot: r.slot }), { capacity: Number(r.capacity), booked: Number(r.booked) }]))
  }
}
