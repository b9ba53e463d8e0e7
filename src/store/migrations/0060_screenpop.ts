import type { Knex } from 'knex'

/** The CRM webhook's delivery log: one row per attempt of one delivery. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('screenpop_deliveries', (t) => {
    t.increments('id').primary()
    t.string('delivery', 64).notNullable()
    t.string('queue', 64).notNullable()
    t.string('call_id', 128).notNullable()
    t.string('offer_id', 160).notNullable()
    t.string('url', 2000).notNullable()
    t.integer('attempt').notNullable()
    t.string('status', 16).notNullable()
    t.integer('http_status').nullable()
    t.string('error', 500).nullable()
    t.bigInteger('at').notNullable()
    t.index(['delivery'])
    t.index(['at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('screenpop_deliveries')
}
