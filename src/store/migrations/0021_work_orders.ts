import type { Knex } from 'knex'

/**
 * Work orders, their daily reference counters, appointment slot bookings and follow-up calls.
 * Slot rows hold capacity and booked side by side so one conditional UPDATE
 * (`booked = booked + 1 WHERE booked < capacity`) books atomically on SQLite and PostgreSQL alike.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('work_orders', (t) => {
    t.increments('id')
    t.string('reference', 20).notNullable().unique()
    t.string('type', 16).notNullable()
    t.string('status', 16).notNullable().index()
    t.string('account', 16).nullable().index()
    t.string('caller', 15).nullable()
    t.string('area', 40).notNullable().index()
    t.text('summary').notNullable()
    t.text('details').notNullable() // JSON object
    t.string('created_by', 64).notNullable()
    t.bigInteger('created_at').notNullable()
    t.bigInteger('due_at').notNullable().index()
    t.string('slot_day', 10).nullable()
    t.string('slot_name', 16).nullable()
    t.string('assignee', 64).nullable()
    t.bigInteger('updated_at').notNullable()
    t.bigInteger('done_at').nullable()
    t.bigInteger('closed_at').nullable()
  })
  await knex.schema.createTable('work_order_counters', (t) => {
    t.string('prefix', 16).primary()
    t.integer('last').notNullable()
  })
  await knex.schema.createTable('appointment_slots', (t) => {
    t.string('area', 40).notNullable()
    t.string('day', 10).notNullable()
    t.string('slot', 16).notNullable()
    t.integer('capacity').notNullable()
    t.integer('booked').notNullable()
    t.primary(['area', 'day', 'slot'])
  })
  await knex.schema.createTable('follow_ups', (t) => {
    t.increments('id')
    t.integer('work_order_id').notNullable().references('id').inTable('work_orders').onDelete('CASCADE').index()
    t.bigInteger('due_at').notNullable().index()
    t.string('outcome', 32).nullable()
    t.text('note').nullable()
    t.string('agent', 64).nullable()
    t.bigInteger('recorded_at').nullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('follow_ups')
  await knex.schema.dropTable('appointment_slots')
  await knex.schema.dropTable('work_order_counters')
  await knex.schema.dropTable('work_orders')
}
