/** The language a member reads Twofold in: chosen on the website, used for every message sent to them. */
import { TwofoldError } from '../../core/errors.ts';
import { isMemberLanguage, languageOrDefault, type MemberLanguage } from '../../core/languages.ts';
import type { Db } from '../../storage/database.ts';
import type { Actor, Context } from '../context.ts';

/** Records the language the signed-in member chose. Not audited: it changes no one's access. */
export async function setMyLanguage(ctx: Context, actor: Actor, language: string): Promise<{ language: MemberLanguage }> {
  if (!isMemberLanguage(language)) {
    throw new TwofoldError('unsupported_language', 'Twofold does not speak this language.', { field: 'body/language' });
  }
  await ctx.db.updateTable('members').set({ language }).where('id', '=', actor.id).execute();
  return { language };
}

/** The language to write to member `memberId` in (English until they choose one). */
export async function memberLanguage(db: Db, memberId: string): Promise<MemberLanguage> {
  const row = await db.selectFrom('members').select('language').where('id', '=', memberId).executeTakeFirst();
  return languageOrDefault(row?.language);
}
