/**
 * The terminal authenticator titles a request by what approving does (`action`), so verifying again on
 * the account is not shown as a sign-in, and says where its number is shown; a server that sends no
 * `action` is read by `purpose`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeRequest, whereTheNumberIs } from '../../src/cli/commands/authenticator.ts';
import type { PushRequestContext } from '../../src/cli/authenticator/deviceClient.ts';

const request: PushRequestContext = {
  id: 'r1', purpose: 'sign_in', deviceId: 'd1', organizationName: 'Acme Support', memberName: 'Mara Master', memberEmail: 'mara@example.test',
  client: { kind: 'website', version: null }, ip: '203.0.113.7',
  createdAt: '2026-06-01T12:00:00.000Z', expiresAt: '2026-06-01T12:01:00.000Z', numberDigits: 2,
};
const title = (changes: Partial<PushRequestContext>) => describeRequest({ ...request, ...changes }).split(':')[0];

test('each action has its own title; without one, the purpose decides', () => {
  assert.equal(title({ action: 'confirm_identity' }), 'Confirm it\'s you before an account change');
  assert.equal(title({ action: 'sign_in' }), 'Sign in');
  assert.equal(title({ purpose: 'password_change', action: 'password_change' }), 'Change the password');
  assert.equal(title({ purpose: 'password_change', action: 'password_reset' }), 'Reset the forgotten password');
  assert.equal(title({ purpose: 'pairing', action: 'pairing' }), 'Finish pairing this authenticator');
  assert.equal(title({}), 'Sign in');
  assert.equal(title({ purpose: 'password_change' }), 'Change the password');
});

test('the number is looked for where the request shows it: the set-up, the page of the change, or the sign-in', () => {
  assert.equal(whereTheNumberIs({ ...request, purpose: 'pairing', action: 'pairing' }), 'the set-up screen');
  assert.equal(whereTheNumberIs({ ...request, action: 'confirm_identity' }), 'the Twofold page where you make the change');
  assert.equal(whereTheNumberIs({ ...request, purpose: 'password_change' }), 'the Twofold page where you make the change');
  assert.equal(whereTheNumberIs({ ...request, purpose: 'password_change', action: 'password_reset' }), 'the Twofold page where you make the change');
  assert.equal(whereTheNumberIs(request), 'the sign-in screen');
});
