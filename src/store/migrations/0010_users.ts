import type { Knex } from 'knex'

/**
 * Users of the API and their bearer tokens. A token row holds the SHA-256 of the token, never
 * the token itself (src/users/token.ts). Times are epoch milliseconds, like the CDR.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 36).primary()
    t.string('username', 64).notNullable().unique()
    t.string('display_name', 200).notNullable()
    t.string('role', 16).notNullable()
    t.string('agent_id', 64).nullable()
    t.string('password_hash', 255).notNullable()
    t.boolean('disabled').notNullable().defaultTo(false)
    t.bigInteger('created_at').notNullable()
    t.bigInteger('updated_at').notNullable()
  })
  await knex.schema.createTable('user_tokens', (t) => {
    t.string('token_hash', 64).primary()
    t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE')
    t.bigInteger('created_at').notNullable()
    t.bigInteger('last_used_at').notNullable()
    t.bigInteger('expires_at').notNullable()
    t.bigInteger('revoked_at').nullable()
    t.index(['user_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_tokens')
  await knex.schema.dropTable('users')
}
