/** Every language's messages, by language. */
import type { MemberLanguage } from '../../core/languages.ts';
import type { MessageTexts } from './catalogue.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { it } from './it.ts';
import { nl } from './nl.ts';
import { pt } from './pt.ts';

export const MESSAGE_TEXTS: Readonly<Record<MemberLanguage, MessageTexts>> = { en, fr, it, de, es, pt, nl };
