import type { Knex } from 'knex'

/**
 * The SMS outbox: one row per message, its status (queued | sending | sent | failed), how many
 * attempts were started, when the next may start (or when a sender's claim lapses), the last
 * error. Times are epoch milliseconds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sms_outbox', (t) => {
    t.string('id', 64).primary()
    t.string('to', 32).notNullable()
    t.text('text').notNullable()
    t.string('status', 16).notNullable()
    t.integer('attempts').notNullable().defaultTo(0)
    t.bigInteger('next_attempt_at')
    t.string('last_error', 500)
    t.bigInteger('created_at').notNullable()
    t.bigInteger('sent_at')
    t.string('call_id', 128)
    t.index(['status', 'next_attempt_at'])
    t.index(['created_at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sms_outbox')
}
