/**
 * The languages Twofold speaks to members, on the website and in the emails and text messages it
 * sends: English (the source), French, Italian, German, Spanish, Portuguese and Dutch. A member's
 * language is kept on their record; a member who never chose one is written to in English.
 */
export const MEMBER_LANGUAGES = ['en', 'fr', 'it', 'de', 'es', 'pt', 'nl'] as const;
export type MemberLanguage = (typeof MEMBER_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: MemberLanguage = 'en';

export const isMemberLanguage = (value: unknown): value is MemberLanguage =>
  MEMBER_LANGUAGES.includes(value as MemberLanguage);

/** The language to write to a member in: theirs when they have one, else English. */
export const languageOrDefault = (value: string | null | undefined): MemberLanguage =>
  isMemberLanguage(value) ? value : DEFAULT_LANGUAGE;

/**
 * The first language of an `Accept-Language` header that Twofold speaks (`fr-CA;q=0.9` gives `fr`),
 * by the browser's preference order (its `q` weights), or null when it names none of them. The header
 * comes from anyone: it is read with a bounded length and a plain split, never trusted further.
 */
export function languageFromAcceptLanguage(header: string | undefined): MemberLanguage | null {
  if (!header) return null;
  const ranges = header.slice(0, 1000).split(',').slice(0, 50).map((part, index) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return { base: tag.trim().toLowerCase().split('-')[0] ?? '', weight: Number.isFinite(weight) ? weight : 0, index };
  });
  const ordered = ranges.filter((r) => r.weight > 0).sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ordered.map((r) => r.base).find(isMemberLanguage) ?? null;
}
