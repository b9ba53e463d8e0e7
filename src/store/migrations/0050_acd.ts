import type { Knex } from 'knex'

/**
 * The ACD's configuration (agents, queues) and the append-only presence log, which restores each
 * agent's presence after a restart and feeds reports. Times are epoch milliseconds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('acd_queues', (t) => {
    t.string('id', 64).primary()
    t.text('config').notNullable() // JSON QueueConfig without its id
    t.bigInteger('updated_at').notNullable()
  })
  await knex.schema.createTable('acd_agents', (t) => {
    t.string('id', 64).primary()
    t.string('name', 128).notNullable()
    t.string('contact_kind', 8).notNullable() // sip | pstn
    t.string('contact', 64).notNullable() // SIP user or PSTN number
    t.text('skills').notNullable() // JSON { skill: level }
    t.text('queues').notNullable() // JSON [queue id]
    t.bigInteger('updated_at').notNullable()
    t.unique(['contact_kind', 'contact'])
  })
  await knex.schema.createTable('acd_presence_log', (t) => {
    t.increments('id')
    t.string('agent_id', 64).notNullable()
    t.string('presence', 16).notNullable() // logged-out | ready | not-ready
    t.string('reason', 64)
    t.string('activity', 16).notNullable() // idle | ringing | on-call | wrap-up | resting
    t.bigInteger('at').notNullable()
    t.index(['agent_id', 'id'])
    t.index(['at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('acd_presence_log')
  await knex.schema.dropTable('acd_agents')
  await knex.schema.dropTable('acd_queues')
}
