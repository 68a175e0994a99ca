/**
 * The website's seven languages stay complete: every language has the same feature files and keys as
 * English (none missing, none extra), no empty message, each message is valid ICU with the same
 * arguments as the English one (plural and select included), and `errors` has a message for every
 * problem code the OpenAPI document declares.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { FEATURES, LANGUAGES, SOURCE_LANGUAGE } from '../../web/src/i18n/languages.ts';
import { call, createTestApp } from '../support/harness.ts';

const LOCALES = fileURLToPath(new URL('../../web/src/locales/', import.meta.url));
const read = (language: string, feature: string): Record<string, string> =>
  JSON.parse(readFileSync(join(LOCALES, language, `${feature}.json`), 'utf8')) as Record<string, string>;

/** The arguments a message uses, with their kind: `count:plural`, `name:argument`, `when:date`. */
function argumentsOf(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    if (element.type === TYPE.tag) {
      argumentsOf(element.children, found);
      continue;
    }
    found.add(`${element.value}:${TYPE[element.type]}`);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) argumentsOf(option.value, found);
    }
  }
  return found;
}

test('the languages are the seven, each with one folder of the same feature files', () => {
  assert.deepEqual([...LANGUAGES].sort(), ['de', 'en', 'es', 'fr', 'it', 'nl', 'pt']);
  assert.deepEqual(readdirSync(LOCALES).sort(), [...LANGUAGES].sort());
  for (const language of LANGUAGES) {
    assert.deepEqual(readdirSync(join(LOCALES, language)).sort(), FEATURES.map((feature) => `${feature}.json`).sort(), language);
  }
});

test('every language has exactly the English keys, no empty message, and the same ICU arguments', () => {
  const problems: string[] = [];
  for (const feature of FEATURES) {
    const source = read(SOURCE_LANGUAGE, feature);
    for (const language of LANGUAGES) {
      const messages = read(language, feature);
      for (const key of Object.keys(source)) if (!(key in messages)) problems.push(`${language}/${feature}.json lacks ${key}`);
      for (const key of Object.keys(messages)) if (!(key in source)) problems.push(`${language}/${feature}.json has ${key}, which English lacks`);
      for (const [key, text] of Object.entries(messages)) {
        if (typeof text !== 'string' || text.trim() === '') {
          problems.push(`${language}/${feature}.json ${key} is empty`);
          continue;
        }
        let parsed: MessageFormatElement[];
        try {
          parsed = parse(text, { requiresOtherClause: true });
        } catch (error) {
          problems.push(`${language}/${feature}.json ${key} is not valid ICU: ${(error as Error).message}`);
          continue;
        }
        if (key in source) {
          const want = [...argumentsOf(parse(source[key] ?? ''))].sort().join(', ');
          const have = [...argumentsOf(parsed)].sort().join(', ');
          if (want !== have) problems.push(`${language}/${feature}.json ${key} uses {${have}}, English {${want}}`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('every problem code of the API has a message, and so do unknown codes and a lost connection', async () => {
  const t = await createTestApp();
  try {
    const document = (await call(t, 'GET', '/api/openapi.json')).json<{ components: { schemas: { Problem: { properties: { code: { enum: string[] } } } } } }>();
    const codes = document.components.schemas.Problem.properties.code.enum;
    assert.ok(codes.length > 30);
    const errors = read(SOURCE_LANGUAGE, 'errors');
    assert.deepEqual(codes.filter((code) => !(code in errors)), [], 'codes without errors.<code>');
    assert.ok('unknown' in errors && 'network' in errors);
  } finally {
    await t.close();
  }
});

test('messages differ from English: the other languages are translations, not copies', () => {
  for (const language of LANGUAGES.filter((l) => l !== SOURCE_LANGUAGE)) {
    for (const feature of FEATURES) {
      const source = read(SOURCE_LANGUAGE, feature);
      const messages = read(language, feature);
      const keys = Object.keys(source);
      const same = keys.filter((key) => messages[key] === source[key]);
      // Names and codes may stay as they are ("Twofold", "{method}: {label}", "E-mail"), most may not.
      assert.ok(same.length <= Math.max(3, keys.length * 0.15), `${language}/${feature}.json copies English: ${same.join(', ')}`);
    }
  }
});
