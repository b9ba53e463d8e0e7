import type { Knex } from 'knex'

/**
 * Where an agent transferred the call: `agent:<id>`, `queue:<id>` or `number:<digits>` (the last
 * transfer; a call that left for a number has outcome `transferred`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cdr', (t) => {
    t.string('transferred_to', 160)
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cdr', (t) => {
    t.dropColumn('transferred_to')
  })
}
