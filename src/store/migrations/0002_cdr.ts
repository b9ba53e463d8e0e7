import type { Knex } from 'knex'

/**
 * One row per customer call, opened at arrival (so a caller who hangs up in the first second
 * still leaves one) and closed once at the end. Times are epoch milliseconds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cdr', (t) => {
    t.string('call_id', 64).primary()
    t.string('entry', 32).notNullable()
    t.string('did', 32).notNullable()
    t.string('region', 64)
    t.string('caller_number', 64).notNullable()
    t.string('caller_name', 128)
    t.bigInteger('arrived_at').notNullable()
    t.bigInteger('ivr_ended_at')
    t.text('ivr_path') // JSON list of node ids visited
    t.text('facts') // JSON object of what the IVR collected
    t.string('queue', 64)
    t.string('tier', 16)
    t.bigInteger('queued_at')
    t.bigInteger('answered_at') // answered by an agent
    t.string('agent_id', 64)
    t.bigInteger('ended_at')
    t.string('hangup_cause', 64)
    t.string('outcome', 32) // self-service | answered | abandoned | transferred | callback | failed
    t.string('disposition', 64)
    t.index(['arrived_at'])
    t.index(['caller_number'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cdr')
}
