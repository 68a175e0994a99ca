/**
 * Which factors and set-up methods a client is offered (docs/product-behaviour.md G2 and
 * "Technician Console versions"): the website and newer consoles put the primary method
 * first; consoles 7.50.3572 and earlier lose email and ignore the primary (push, totp, sms).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AVAILABLE_METHODS,
  firstSetupMethod,
  offeredFactors,
  setupMethods,
} from '../../src/core/offeredFactors.ts';
import type { ClientInfo, FactorSummary, MethodId } from '../../src/core/model.ts';

const ALL: readonly MethodId[] = ['push', 'totp', 'sms', 'email'];
const website: ClientInfo = { kind: 'website' };
const legacy: ClientInfo = { kind: 'technician-console', version: '7.50.3572' };
const newConsole: ClientInfo = { kind: 'technician-console', version: '7.100.0' };
const unversioned: ClientInfo = { kind: 'technician-console' };
const garbled: ClientInfo = { kind: 'technician-console', version: 'latest' };

/** One factor of each method plus a second phone and a second app, in a deliberately mixed order. */
const factors: FactorSummary[] = [
  { id: 'sms-1', type: 'sms', label: 'Phone ending 11' },
  { id: 'email-1', type: 'email', label: 'a@example.com' },
  { id: 'totp-1', type: 'totp', label: 'Phone app' },
  { id: 'push-1', type: 'push', label: 'Twofold app' },
  { id: 'sms-2', type: 'sms', label: 'Phone ending 22' },
  { id: 'totp-2', type: 'totp', label: 'Tablet app' },
];
const ids = (list: readonly FactorSummary[]) => list.map((f) => f.id);

describe('offeredFactors', () => {
  const cases: Array<[string, MethodId, readonly MethodId[], ClientInfo, string[]]> = [
    ['website, primary sms: sms first, then push, totp, email', 'sms', ALL, website,
      ['sms-1', 'sms-2', 'push-1', 'totp-1', 'totp-2', 'email-1']],
    ['website, primary email', 'email', ALL, website,
      ['email-1', 'push-1', 'totp-1', 'totp-2', 'sms-1', 'sms-2']],
    ['website, primary totp', 'totp', ALL, website,
      ['totp-1', 'totp-2', 'push-1', 'sms-1', 'sms-2', 'email-1']],
    ['new console (7.100.0) honours the primary like the website', 'email', ALL, newConsole,
      ['email-1', 'push-1', 'totp-1', 'totp-2', 'sms-1', 'sms-2']],
    ['console without a version honours the primary', 'email', ALL, unversioned,
      ['email-1', 'push-1', 'totp-1', 'totp-2', 'sms-1', 'sms-2']],
    ['console with an unparseable version honours the primary', 'sms', ALL, garbled,
      ['sms-1', 'sms-2', 'push-1', 'totp-1', 'totp-2', 'email-1']],
    ['legacy console: no email, primary ignored, push, totp, sms', 'email', ALL, legacy,
      ['push-1', 'totp-1', 'totp-2', 'sms-1', 'sms-2']],
    ['legacy console ignores primary sms too', 'sms', ALL, legacy,
      ['push-1', 'totp-1', 'totp-2', 'sms-1', 'sms-2']],
    ['methods the organization does not allow are not offered', 'totp', ['totp', 'sms'], website,
      ['totp-1', 'totp-2', 'sms-1', 'sms-2']],
    ['legacy console with only email allowed is offered nothing', 'email', ['email'], legacy, []],
  ];
  for (const [name, primaryMethod, allowedMethods, client, expected] of cases) {
    test(name, () => {
      assert.deepEqual(ids(offeredFactors(factors, { primaryMethod, allowedMethods }, client)), expected);
    });
  }

  test('does not modify its input', () => {
    const before = ids(factors);
    offeredFactors(factors, { primaryMethod: 'email', allowedMethods: ALL }, website);
    assert.deepEqual(ids(factors), before);
  });
});

describe('setupMethods and firstSetupMethod', () => {
  test('every method can be set up, push included', () => assert.deepEqual(AVAILABLE_METHODS, ['push', 'totp', 'sms', 'email']));

  const cases: Array<[string, MethodId, readonly MethodId[], ClientInfo, MethodId[], MethodId | null]> = [
    ['website, primary sms', 'sms', ALL, website, ['sms', 'push', 'totp', 'email'], 'sms'],
    ['website, primary email', 'email', ALL, website, ['email', 'push', 'totp', 'sms'], 'email'],
    ['website, primary push', 'push', ALL, website, ['push', 'totp', 'sms', 'email'], 'push'],
    ['new console, primary email', 'email', ALL, newConsole, ['email', 'push', 'totp', 'sms'], 'email'],
    ['unversioned console, primary email', 'email', ALL, unversioned, ['email', 'push', 'totp', 'sms'], 'email'],
    ['legacy console, primary email → push first', 'email', ALL, legacy, ['push', 'totp', 'sms'], 'push'],
    ['legacy console, primary sms: order ignores it, but sms is set up first', 'sms', ALL, legacy, ['push', 'totp', 'sms'], 'sms'],
    ['legacy console, only sms and email allowed', 'email', ['sms', 'email'], legacy, ['sms'], 'sms'],
    ['legacy console, only email allowed: nothing here', 'email', ['email'], legacy, [], null],
    ['only allowed methods', 'totp', ['totp'], website, ['totp'], 'totp'],
    ['primary push with only push allowed', 'push', ['push'], website, ['push'], 'push'],
  ];
  for (const [name, primaryMethod, allowedMethods, client, methods, first] of cases) {
    test(name, () => {
      const settings = { primaryMethod, allowedMethods };
      assert.deepEqual(setupMethods(settings, client), methods);
      assert.equal(firstSetupMethod(settings, client), first);
    });
  }
});
