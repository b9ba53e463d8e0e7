import type { Knex } from 'knex'

/**
 * Fax: received faxes (one row each, failed ones included, so nothing is lost silently),
 * outbound jobs, and every attempt of a job. Times are epoch milliseconds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('fax_received', (t) => {
    t.string('id', 64).primary()
    t.string('call_id', 64)
    t.string('leg', 64).notNullable()
    t.string('caller_number', 64).notNullable()
    t.string('caller_name', 128)
    t.string('did', 32).notNullable()
    t.string('status', 16).notNullable() // receiving | received | failed
    t.bigInteger('started_at').notNullable()
    t.bigInteger('ended_at')
    t.integer('pages')
    t.integer('total_pages')
    t.integer('result_code')
    t.string('result_text', 255)
    t.integer('transfer_rate')
    t.boolean('ecm')
    t.string('t38_status', 32)
    t.integer('bad_rows')
    t.string('remote_station_id', 64)
    t.string('tiff_path', 512)
    t.string('pdf_path', 512)
    t.string('pdf_error', 512)
    t.index(['started_at'])
  })
  await knex.schema.createTable('fax_jobs', (t) => {
    t.string('id', 64).primary()
    t.string('destination', 32).notNullable()
    t.string('submitted_by', 64)
    t.string('status', 16).notNullable() // queued | sending | held | retrying | sent | failed
    t.bigInteger('created_at').notNullable()
    t.bigInteger('updated_at').notNullable()
    t.string('source_kind', 8).notNullable() // pdf | tiff
    t.string('tiff_path', 512).notNullable()
    t.integer('pages').notNullable()
    t.integer('attempts').notNullable().defaultTo(0)
    t.bigInteger('next_attempt_at')
    t.bigInteger('finished_at')
    t.string('final_reason', 255)
    t.index(['status'])
    t.index(['created_at'])
  })
  await knex.schema.createTable('fax_attempts', (t) => {
    t.string('job_id', 64).notNullable().references('id').inTable('fax_jobs').onDelete('CASCADE')
    t.integer('attempt').notNullable()
    t.string('trunk', 64)
    t.string('leg', 64)
    t.bigInteger('started_at').notNullable()
    t.bigInteger('ended_at')
    t.string('outcome', 32) // sent | busy | no-answer | fax-failed | dial-failed | number-rejected
    t.string('cause', 64)
    t.integer('result_code')
    t.string('result_text', 255)
    t.integer('pages')
    t.integer('transfer_rate')
    t.primary(['job_id', 'attempt'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('fax_attempts')
  await knex.schema.dropTable('fax_jobs')
  await knex.schema.dropTable('fax_received')
}
