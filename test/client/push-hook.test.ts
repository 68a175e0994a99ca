/**
 * The sign-in walk's hook for authenticator app notifications: with a push approval given, a push
 * factor is offered and the number it shows reaches the prompts; with neither an approval nor a way
 * to show a number, push factors are never offered. A stand-in server answers (no storage involved);
 * the built-in push step against a real server is in push-walk.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TwofoldProblem, createTwofoldClient, walkTransaction, type FactorChoice, type PushPrompt, type SignInPrompts, type Transaction } from '../../packages/client/src/index.ts';

const factors: Transaction['factors'] = [
  { id: 'f-push', type: 'push', label: 'Phone', locked: false },
  { id: 'f-totp', type: 'totp', label: 'Authenticator app', locked: false },
];
const verifying: Transaction = {
  id: 'tx', purpose: 'sign_in', state: 'verify', client: { kind: 'technician-console', version: '8.0.0' },
  factors, defaultFactorId: 'f-push', expiresAt: '2026-06-01T12:10:00.000Z',
};
const complete: Transaction = { ...verifying, state: 'complete', session: { token: 'token', expiresAt: '2026-06-02T12:00:00.000Z' } };

const answering = (body: Transaction) => createTwofoldClient({
  baseUrl: 'http://twofold.test',
  fetch: async () => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }),
});

const prompts = (seen: { numbers: PushPrompt[]; choices: FactorChoice[]; codes: string[] }): SignInPrompts => ({
  async chooseFactor(choice) { seen.choices.push(choice); return { kind: 'factor', factorId: choice.factors[0]!.id }; },
  async askCode(request) { seen.codes.push(request.factor.id); return { kind: 'code', code: '123456' }; },
  askPhoneNumber: () => Promise.reject(new Error('not asked')),
  showAuthenticatorSetup: () => {},
  showPushNumber(prompt) { seen.numbers.push(prompt); },
});

test('with a push approval, the push factor is used and its number is shown', async () => {
  const seen = { numbers: [] as PushPrompt[], choices: [] as FactorChoice[], codes: [] as string[] };
  const result = await walkTransaction(answering(complete), verifying, {
    prompts: prompts(seen),
    push: async ({ factor, showNumber }) => {
      assert.equal(factor.id, 'f-push');
      showNumber({ number: '42', expiresAt: null });
      return complete;
    },
  });
  assert.equal(result.session?.token, 'token');
  assert.deepEqual(seen.numbers.map((n) => [n.number, n.factor.id]), [['42', 'f-push']]);
  assert.deepEqual(seen.codes, []);
});

/** Prompts that cannot show a push number: the member could not match it. */
const withoutNumber = (seen: { numbers: PushPrompt[]; choices: FactorChoice[]; codes: string[] }): SignInPrompts => {
  const { showPushNumber: _unused, ...rest } = prompts(seen);
  return rest;
};

test('without a push approval nor a way to show its number, push factors are not offered: the authenticator app is used', async () => {
  const seen = { numbers: [] as PushPrompt[], choices: [] as FactorChoice[], codes: [] as string[] };
  const result = await walkTransaction(answering(complete), verifying, { prompts: withoutNumber(seen) });
  assert.equal(result.transaction.state, 'complete');
  assert.deepEqual(seen.codes, ['f-totp']);
});

test('a member with push factors only, and no push approval: the walk ends with factor_not_offered instead of asking', async () => {
  const seen = { numbers: [] as PushPrompt[], choices: [] as FactorChoice[], codes: [] as string[] };
  const onlyPush: Transaction = { ...verifying, factors: [factors[0]!] };
  await assert.rejects(walkTransaction(answering(complete), onlyPush, { prompts: withoutNumber(seen) }), (error) => error instanceof TwofoldProblem && error.code === 'factor_not_offered');
  assert.deepEqual(seen.choices, []);
});
