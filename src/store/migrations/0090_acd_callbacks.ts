import type { Knex } from 'knex'

/**
 * Callbacks waiting to be made. A callback's caller has hung up, so no channel on the switch
 * remembers it: without this row a restart of Hotline lost every callback still waiting.
 * `finished_at` set: made (or given up); the row stays as its history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('acd_callbacks', (t) => {
    t.string('call_id', 128).primary()
    t.string('queue', 64).notNullable()
    t.string('skills', 512).notNullable()
    t.string('tier', 32).notNullable()
    t.bigInteger('enqueued_at').notNullable()
    t.string('number', 32).notNullable()
    t.bigInteger('requested_at').notNullable()
    t.bigInteger('finished_at')
    t.string('outcome', 32)
    t.integer('attempts')
    t.index(['finished_at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('acd_callbacks')
}
