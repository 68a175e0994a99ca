/**
 * The set-up's order as a pure rule: the primary method (where the client can set it up) is required
 * first, every other allowed method is optional after it; and each method has a human name.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { METHOD_IDS, type ClientInfo } from '../../src/core/model.ts';
import { setupBlockedBy, setupPlan } from '../../src/core/setupOrder.ts';
import { methodDisplayName } from '../../src/methods/names.ts';

const website: ClientInfo = { kind: 'website' };
const legacy: ClientInfo = { kind: 'technician-console', version: '7.50.3572' };
const all = { primaryMethod: 'totp', allowedMethods: ['totp', 'sms', 'email'] } as const;

describe('the set-up order', () => {
  test('the primary method is required, the others optional, and next until it is confirmed', () => {
    assert.deepEqual(setupPlan(all, website, []), { required: ['totp'], optional: ['sms', 'email'], next: 'totp' });
    assert.deepEqual(setupPlan(all, website, ['totp']).next, null);
    assert.deepEqual(setupPlan(all, website, ['sms']).next, 'totp');
  });

  test('a legacy console that cannot use the email primary requires what it can set up first', () => {
    const emailFirst = { primaryMethod: 'email', allowedMethods: ['email', 'sms', 'totp'] } as const;
    assert.deepEqual(setupPlan(emailFirst, legacy, []), { required: ['totp'], optional: ['sms'], next: 'totp' });
    assert.deepEqual(setupPlan({ primaryMethod: 'email', allowedMethods: ['email'] }, legacy, []), { required: [], optional: [], next: null });
  });

  test('only the next required method, or anything once they are confirmed, may be set up', () => {
    const fresh = setupPlan(all, website, []);
    assert.equal(setupBlockedBy(fresh, 'totp'), null);
    assert.equal(setupBlockedBy(fresh, 'sms'), 'totp');
    assert.equal(setupBlockedBy(fresh, 'email'), 'totp');
    const done = setupPlan(all, website, ['totp']);
    for (const method of ['totp', 'sms', 'email'] as const) assert.equal(setupBlockedBy(done, method), null);
  });

  test('every method has a human name, never its id', () => {
    assert.deepEqual(METHOD_IDS.map(methodDisplayName), ['authenticator app notification', 'authenticator app', 'text message', 'email']);
  });
});
