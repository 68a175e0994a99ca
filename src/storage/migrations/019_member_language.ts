import type { Kysely } from 'kysely';

/**
 * The language a member chose (`en`, `fr`, `it`, `de`, `es`, `pt`, `nl`), for the website after they
 * sign in and for every email and text message sent to them. Null until they choose one or a browser
 * tells it: they are written to in English meanwhile, and the website follows the browser's language.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('members').addColumn('language', 'text').execute();
}
