import type { Knex } from 'knex'

/**
 * CRM-lite: customers keyed by their BOSS account number, their phones (one row each, so any of
 * them finds the customer through an index), one contact history across channels, and area
 * outages. Money is bigint fen; times are bigint epoch milliseconds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (t) => {
    t.string('account', 16).primary()
    t.string('name', 200).notNullable()
    t.string('address', 500).notNullable().defaultTo('')
    t.string('area', 40).notNullable().index()
    t.string('tier', 16).notNullable()
    t.text('services').notNullable() // JSON array of service codes
    t.bigInteger('balance_fen').notNullable()
    t.bigInteger('arrears_fen').notNullable()
    t.string('status', 16).notNullable()
    t.bigInteger('updated_at').notNullable()
  })
  await knex.schema.createTable('customer_phones', (t) => {
    t.string('phone', 15).notNullable().index()
    t.string('account', 16).notNullable().references('account').inTable('customers').onDelete('CASCADE')
    t.integer('position').notNullable()
    t.primary(['account', 'phone'])
  })
  await knex.schema.createTable('customer_contacts', (t) => {
    t.increments('id')
    t.string('account', 16).notNullable().references('account').inTable('customers').onDelete('CASCADE')
    t.bigInteger('at').notNullable()
    t.string('channel', 16).notNullable()
    t.string('direction', 8).notNullable()
    t.text('summary').notNullable()
    t.string('call_id', 64).nullable()
    t.integer('work_order_id').nullable()
    t.string('agent', 64).nullable()
    t.index(['account', 'at'])
  })
  await knex.schema.createTable('outages', (t) => {
    t.increments('id')
    t.string('area', 40).notNullable().index()
    t.bigInteger('started_at').notNullable()
    t.bigInteger('ended_at').nullable()
    t.string('prompt_id', 100).notNullable()
    t.text('note').notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outages')
  await knex.schema.dropTable('customer_contacts')
  await knex.schema.dropTable('customer_phones')
  await knex.schema.dropTable('customers')
}
