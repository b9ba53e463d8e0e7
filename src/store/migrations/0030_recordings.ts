import type { Knex } from 'knex'

/**
 * Call recordings (one row per agent segment or consent prompt), the audit of deletions and of
 * listening, and quality scoring. Times are epoch milliseconds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('recordings', (t) => {
    t.string('id', 96).primary()
    t.string('call_id', 64).notNullable()
    t.integer('segment').notNullable()
    t.string('kind', 16).notNullable() // agent | consent
    t.string('leg', 64).notNullable()
    t.string('agent_id', 64)
    t.string('queue', 64)
    t.string('customer', 64)
    t.string('caller_number', 64)
    t.bigInteger('started_at').notNullable()
    t.bigInteger('ended_at')
    t.bigInteger('duration_ms')
    t.string('file_path', 512).notNullable()
    t.bigInteger('size_bytes')
    t.string('sha256', 64)
    t.string('format', 8).notNullable()
    t.integer('channels').notNullable()
    t.string('retention_class', 32).notNullable()
    t.bigInteger('keep_until').notNullable()
    t.boolean('legal_hold').notNullable().defaultTo(false)
    t.string('hold_reason', 256)
    t.string('status', 16).notNullable() // recording | complete | missing-file | failed | deleting | deleted
    t.text('pauses').notNullable().defaultTo('[]') // JSON [{startMs, endMs?}]
    t.string('problem', 512)
    t.string('claimed_by', 64) // the sweep deleting it
    t.bigInteger('claimed_at')
    t.index(['call_id'])
    t.index(['started_at'])
    t.index(['agent_id', 'started_at'])
    t.index(['status', 'keep_until'])
    t.index(['file_path'])
    t.index(['claimed_by'])
  })
  await knex.schema.createTable('recording_deletions', (t) => {
    t.increments('id')
    t.string('recording_id', 96).notNullable().unique() // a file is deleted, and logged, once
    t.string('call_id', 64).notNullable()
    t.string('file_path', 512).notNullable()
    t.bigInteger('size_bytes')
    t.string('retention_class', 32).notNullable()
    t.bigInteger('keep_until').notNullable()
    t.bigInteger('deleted_at').notNullable()
    t.string('sweep', 64).notNullable()
    t.boolean('file_was_present').notNullable()
  })
  await knex.schema.createTable('recording_access', (t) => {
    t.increments('id')
    t.string('recording_id', 96).notNullable()
    t.string('user_id', 64).notNullable()
    t.string('username', 128).notNullable()
    t.string('role', 16).notNullable()
    t.string('action', 16).notNullable() // play | download
    t.string('range', 64)
    t.bigInteger('at').notNullable()
    t.index(['recording_id'])
    t.index(['at'])
  })
  await knex.schema.createTable('score_sheets', (t) => {
    t.string('id', 64).primary()
    t.string('name', 128).notNullable().unique()
    t.text('criteria').notNullable() // JSON [{key, label, weight, max}]
    t.string('created_by', 64).notNullable()
    t.bigInteger('created_at').notNullable()
  })
  await knex.schema.createTable('recording_evaluations', (t) => {
    t.string('id', 64).primary()
    t.string('recording_id', 96).notNullable()
    t.string('sheet_id', 64).notNullable()
    t.string('agent_id', 64)
    t.string('queue', 64)
    t.string('evaluator', 64).notNullable()
    t.text('scores').notNullable() // JSON {criterionKey: score}
    t.text('comment')
    t.float('total').notNullable()
    t.bigInteger('created_at').notNullable()
    t.index(['recording_id'])
    t.index(['agent_id', 'created_at'])
    t.index(['queue', 'created_at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['recording_evaluations', 'score_sheets', 'recording_access', 'recording_deletions', 'recordings']) {
    await knex.schema.dropTable(table)
  }
}
