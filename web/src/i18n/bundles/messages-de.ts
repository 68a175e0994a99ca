// Every message file of one language in one chunk (i18n/messages.ts loads it): one request, not one per feature.
export default import.meta.glob<Record<string, string>>('../../locales/de/*.json', { eager: true, import: 'default' });
