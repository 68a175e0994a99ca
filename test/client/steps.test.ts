/**
 * The client package's per-step pieces, without a server: `nextStep` decides what a transaction needs
 * now (for the Technician Console's loop and the website's pages alike), each action function calls
 * its one route with its body (codes normalized) and turns a refusal into a `TwofoldProblem`, and the
 * shared rules (retry in the same step, a closed transaction, a typed code) say the same everywhere.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TwofoldProblem, activate, bindFactor, checkCode, checkRecoveryCode, closedReason, confirmFactor, confirmWithPush, createTwofoldClient,
  isRetryable, nextStep, normalizeCode, pushEndCode, seenOf, sendChallenge, startPush, totpSecretOf, verifyWithPush, waitForPush,
  type StepCapabilities, type Transaction, type TransactionFactor,
} from '../../packages/client/src/index.ts';

const factor = (id: string, type: TransactionFactor['type'], extra: Partial<TransactionFactor> = {}): TransactionFactor =>
  ({ id, type, label: `${type} ${id}`, locked: false, ...extra });

type Setup = NonNullable<Transaction['setup']>;

function transaction(changes: Partial<Transaction> = {}): Transaction {
  return {
    id: 'tx1', purpose: 'sign_in', state: 'verify', client: { kind: 'website' }, expiresAt: '2030-01-01T00:00:00.000Z',
    factors: [], defaultFactorId: null, ...changes,
  };
}

function setUp(setup: Partial<Setup>, changes: Partial<Transaction> = {}): Transaction {
  return transaction({
    state: 'setup',
    setup: {
      allowedMethods: ['totp', 'sms', 'email'], confirmed: false, next: 'totp', optional: ['sms', 'email'], primaryMethod: 'totp',
      proofFactors: [], proofRequired: false, required: ['totp'], setupCodeRequired: false, ...setup,
    },
    ...changes,
  });
}

const ALL: StepCapabilities = { push: true, pushPairing: true };
const CODES_ONLY: StepCapabilities = { push: false, pushPairing: false };

describe('nextStep: what a transaction needs now', () => {
  test('verification suggests the server\'s default factor, or the first one not locked, or none when all are', () => {
    const factors = [factor('a', 'totp'), factor('b', 'sms'), factor('c', 'email')];
    const step = nextStep(transaction({ factors, defaultFactorId: 'b' }), ALL);
    assert.equal(step.kind, 'verify');
    assert.equal(step.kind === 'verify' && step.suggested?.id, 'b');
    assert.equal(step.kind === 'verify' && step.purpose, 'verify');
    assert.equal(step.kind === 'verify' && step.canChooseAnother, true);

    const lockedDefault = nextStep(transaction({ factors: [factor('a', 'totp', { locked: true }), factor('b', 'sms')], defaultFactorId: 'a' }), ALL);
    assert.equal(lockedDefault.kind === 'verify' && lockedDefault.suggested?.id, 'b');

    const allLocked = nextStep(transaction({ factors: [factor('a', 'totp', { locked: true })], defaultFactorId: 'a' }), ALL);
    assert.deepEqual(allLocked.kind === 'verify' && [allLocked.suggested, allLocked.factors.length, allLocked.canChooseAnother], [null, 1, false]);
  });

  test('push factors are offered only to a caller that can show the number; with nothing else, only a recovery code, or factor_not_offered', () => {
    const factors = [factor('p', 'push'), factor('t', 'totp')];
    const withPush = nextStep(transaction({ factors, defaultFactorId: 'p' }), ALL);
    assert.deepEqual(withPush.kind === 'verify' && withPush.factors.map((f) => f.id), ['p', 't']);
    const without = nextStep(transaction({ factors, defaultFactorId: 'p' }), CODES_ONLY);
    assert.deepEqual(without.kind === 'verify' && [without.factors.map((f) => f.id), without.suggested?.id, without.canChooseAnother], [['t'], 't', false]);

    const pushOnly = transaction({ factors: [factor('p', 'push')], defaultFactorId: 'p' });
    const stuck = nextStep(pushOnly, CODES_ONLY);
    assert.equal(stuck.kind, 'unsupported');
    assert.equal(stuck.kind === 'unsupported' && stuck.problem.code, 'factor_not_offered');
    const recovery = nextStep({ ...pushOnly, recoveryAvailable: true }, CODES_ONLY);
    assert.deepEqual(recovery.kind === 'verify' && [recovery.factors.length, recovery.recoveryAvailable, recovery.canChooseAnother], [0, true, true]);
  });

  test('a set-up waiting for a proof verifies with the switched-off factors; push among them only where push proofs are carried out', () => {
    const proofFactors = [factor('p', 'push'), factor('s', 'sms', { locked: true }), factor('e', 'email')];
    const tx = setUp({ proofRequired: true, proofFactors }, { recoveryAvailable: true });
    const step = nextStep(tx, ALL);
    assert.deepEqual(step.kind === 'verify' && [step.purpose, step.factors.map((f) => f.id), step.suggested?.id], ['proof', ['p', 's', 'e'], 'p']);
    const website = nextStep(tx, { ...ALL, pushProof: false });
    assert.deepEqual(website.kind === 'verify' && [website.factors.map((f) => f.id), website.suggested?.id, website.recoveryAvailable], [['s', 'e'], 'e', true]);
  });

  test('a set-up sets up the next required method, then offers the backups not yet confirmed, then Activate', () => {
    assert.deepEqual(nextStep(setUp({ next: 'sms' }), ALL), { kind: 'set-up', method: 'sms' });

    const primaryDone = setUp({ next: null, optional: ['push', 'sms', 'email'] }, { factors: [factor('t', 'totp', { confirmed: true }), factor('e', 'email', { confirmed: true })] });
    assert.deepEqual(nextStep(primaryDone, ALL), { kind: 'choose-backup', methods: ['push', 'sms'], confirmed: ['totp', 'email'] });
    // Push is offered as a backup only where it can be paired.
    assert.deepEqual(nextStep(primaryDone, { ...ALL, pushPairing: false }), { kind: 'choose-backup', methods: ['sms'], confirmed: ['totp', 'email'] });
    assert.deepEqual(nextStep(primaryDone, { ...ALL, backupsDone: true }), { kind: 'activate', setupCodeRequired: false, confirmed: ['totp', 'email'] });

    const everything = setUp({ next: null, optional: ['sms'], setupCodeRequired: true }, { factors: [factor('t', 'totp', { confirmed: true }), factor('s', 'sms', { confirmed: true })] });
    assert.deepEqual(nextStep(everything, ALL), { kind: 'activate', setupCodeRequired: true, confirmed: ['totp', 'sms'] });
    // A factor bound but not confirmed is still a backup to offer.
    const unconfirmed = setUp({ next: null, optional: ['sms'] }, { factors: [factor('t', 'totp', { confirmed: true }), factor('s', 'sms', { confirmed: false })] });
    assert.deepEqual(nextStep(unconfirmed, ALL), { kind: 'choose-backup', methods: ['sms'], confirmed: ['totp'] });
  });

  test('a required push without a way to pair it, a set-up without its plan, and the closed states end with their codes', () => {
    const push = nextStep(setUp({ next: 'push', required: ['push'] }), CODES_ONLY);
    assert.equal(push.kind === 'unsupported' && push.problem.code, 'factor_not_offered');
    assert.deepEqual(nextStep(setUp({ next: 'push', required: ['push'] }), ALL), { kind: 'set-up', method: 'push' });
    const noPlan = nextStep(transaction({ state: 'setup' }), ALL);
    assert.equal(noPlan.kind === 'unsupported' && noPlan.problem.code, 'transaction_state');
    assert.deepEqual(nextStep(transaction({ state: 'failed' }), ALL), { kind: 'closed', reason: 'failed' });
    assert.deepEqual(nextStep(transaction({ state: 'expired' }), ALL), { kind: 'closed', reason: 'expired' });
    const session = { expiresAt: '2030-01-01T00:00:00.000Z', token: 'tok' };
    assert.deepEqual(nextStep(transaction({ state: 'complete', session }), ALL), { kind: 'complete', session });
    assert.deepEqual(nextStep(transaction({ state: 'complete' }), ALL), { kind: 'complete', session: null });
  });
});

describe('the shared rules', () => {
  test('a wrong code, a resend too soon and a failed delivery are tried again in the same step; nothing else is', () => {
    for (const code of ['invalid_code', 'rate_limited', 'delivery_failed']) assert.ok(isRetryable(new TwofoldProblem({ code, status: 400 })), code);
    for (const code of ['factor_locked', 'transaction_failed', 'network']) assert.ok(!isRetryable(new TwofoldProblem({ code, status: 400 })), code);
    assert.ok(!isRetryable(new Error('invalid_code')));
  });

  test('five wrong codes fail the transaction; ten minutes or an unknown id expire it; other problems leave it open', () => {
    assert.equal(closedReason(new TwofoldProblem({ code: 'transaction_failed', status: 410 })), 'failed');
    assert.equal(closedReason(new TwofoldProblem({ code: 'transaction_expired', status: 410 })), 'expired');
    assert.equal(closedReason(new TwofoldProblem({ code: 'not_found', status: 404 })), 'expired');
    assert.equal(closedReason(new TwofoldProblem({ code: 'invalid_code', status: 400 })), null);
    assert.equal(closedReason(null), null);
  });

  test('a typed code loses its spaces and dashes, Unicode ones included; an otpauth URI gives its key', () => {
    assert.equal(normalizeCode(' 578 828 '), '578828');
    assert.equal(normalizeCode('578-828'), '578828');
    assert.equal(normalizeCode('578\u2013828\u00a0'), '578828');
    assert.equal(normalizeCode('abcd-efgh-ijkl'), 'abcdefghijkl');
    assert.equal(totpSecretOf('otpauth://totp/Twofold:ann%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Twofold'), 'JBSWY3DPEHPK3PXP');
    assert.equal(totpSecretOf('not a uri'), null);
  });

  test('a push request that ended without an approval ends its step with its code', () => {
    assert.equal(pushEndCode('denied'), 'push_denied');
    assert.equal(pushEndCode('expired'), 'push_expired');
    assert.equal(pushEndCode('wrong_number'), 'push_number_mismatch');
    assert.equal(pushEndCode('reported'), 'push_locked');
    assert.equal(pushEndCode('pending'), null);
    assert.equal(pushEndCode('approved'), null);
  });
});

interface Sent { readonly method: string; readonly path: string; readonly query: string; readonly body: unknown }

/** A client whose server answers `reply` and records each request. */
function recorded(reply: (sent: Sent) => { status: number; body: unknown } = () => ({ status: 200, body: transaction() })) {
  const sent: Sent[] = [];
  const api = createTwofoldClient({
    baseUrl: 'http://twofold.test',
    fetch: async (request) => {
      const url = new URL(request.url);
      const text = await request.text();
      const one: Sent = { method: request.method, path: url.pathname, query: url.search, body: text ? JSON.parse(text) : undefined };
      sent.push(one);
      const answer = reply(one);
      const type = answer.status >= 400 ? 'application/problem+json' : 'application/json';
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': type } });
    },
  });
  return { api, sent };
}

describe('one function per server action', () => {
  test('each action calls its route with its body, codes normalized and a setup code trimmed', async () => {
    const { api, sent } = recorded((one) => ({
      status: one.path.endsWith('/factors') || one.path.endsWith('/challenges') ? 201 : 200,
      body: one.path.endsWith('/factors') ? { id: 'f1', type: 'sms', label: 'Text ···0123' } : one.path.endsWith('/challenges') ? { factorId: 'f1', expiresAt: 'x' } : transaction(),
    }));
    const tx = transaction();
    await sendChallenge(api, tx, 'f1');
    await checkCode(api, tx, 'f1', '123 456');
    await checkRecoveryCode(api, { id: 'tx1' }, 'abcd-efgh');
    await bindFactor(api, tx, { type: 'sms', phoneNumber: '+14155550123' });
    await bindFactor(api, tx, { type: 'totp' });
    await confirmFactor(api, tx, 'f1', '123-456');
    await activate(api, tx);
    await activate(api, tx, ' ABCD-1234 ');
    assert.deepEqual(sent.map(({ method, path, body }) => [method, path, body]), [
      ['POST', '/api/v1/transactions/tx1/challenges', { factorId: 'f1' }],
      ['POST', '/api/v1/transactions/tx1/verify', { factorId: 'f1', code: '123456' }],
      ['POST', '/api/v1/transactions/tx1/recovery', { code: 'abcdefgh' }],
      ['POST', '/api/v1/transactions/tx1/factors', { type: 'sms', phoneNumber: '+14155550123' }],
      ['POST', '/api/v1/transactions/tx1/factors', { type: 'totp' }],
      ['POST', '/api/v1/transactions/tx1/factors/f1/confirm', { code: '123456' }],
      ['POST', '/api/v1/transactions/tx1/activate', null],
      ['POST', '/api/v1/transactions/tx1/activate', { setupCode: 'ABCD-1234' }],
    ]);
  });

  test('a refusal is a TwofoldProblem with the server\'s code and details', async () => {
    const { api } = recorded(() => ({ status: 400, body: { code: 'invalid_code', title: 'Wrong', status: 400, attemptsRemaining: 3 } }));
    const error = await checkCode(api, transaction(), 'f1', '000000').then(() => null, (e: unknown) => e);
    assert.ok(error instanceof TwofoldProblem);
    assert.equal(error.code, 'invalid_code');
    assert.equal(error.problem.attemptsRemaining, 3);
    assert.ok(isRetryable(error));
  });

  test('push: start (the number), one long-poll per call, verify or confirm with the approval', async () => {
    const pushRequest = { id: 'r1', number: '42', expiresAt: 'x' };
    const status = { ...pushRequest, factorId: 'p1', purpose: 'sign_in', state: 'approved' };
    const { api, sent } = recorded((one) => (one.path.endsWith('/challenges')
      ? { status: 201, body: { factorId: 'p1', expiresAt: 'x', pushRequest } }
      : one.path.endsWith('/push-request') ? { status: 200, body: { pushRequest: status } } : { status: 200, body: transaction({ state: 'complete' }) }));
    const tx = transaction();
    assert.deepEqual(await startPush(api, tx, 'p1'), pushRequest);
    const first = await waitForPush(api, tx, undefined);
    assert.deepEqual(first, status);
    await waitForPush(api, tx, seenOf(first));
    assert.equal((await verifyWithPush(api, tx, 'p1', 'r1')).state, 'complete');
    await confirmWithPush(api, tx, 'p1', 'r1');
    assert.deepEqual(sent.map(({ method, path, query, body }) => [method, path, query, body]), [
      ['POST', '/api/v1/transactions/tx1/challenges', '', { factorId: 'p1' }],
      ['GET', '/api/v1/transactions/tx1/push-request', '?waitSeconds=25', undefined],
      ['GET', '/api/v1/transactions/tx1/push-request', '?seen=r1%3Aapproved&waitSeconds=25', undefined],
      ['POST', '/api/v1/transactions/tx1/verify', '', { factorId: 'p1', pushRequestId: 'r1' }],
      ['POST', '/api/v1/transactions/tx1/factors/p1/confirm', '', { pushRequestId: 'r1' }],
    ]);
    assert.equal(seenOf(null), '');
  });

  test('a push start the server answers without a request is method_unavailable', async () => {
    const { api } = recorded(() => ({ status: 201, body: { factorId: 'p1', expiresAt: 'x' } }));
    await assert.rejects(startPush(api, transaction(), 'p1'), (error: unknown) => error instanceof TwofoldProblem && error.code === 'method_unavailable');
  });
});
