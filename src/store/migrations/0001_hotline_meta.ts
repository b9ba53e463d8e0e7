import type { Knex } from 'knex'

/** Key/value facts about the installation itself (schema notes, first start, instance id). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('hotline_meta', (t) => {
    t.string('key', 100).primary()
    t.text('value').notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('hotline_meta')
}
