/**
 * The sign-in transaction state machine (docs/design.md "The sign-in transaction"): a transaction is usable only in the state the
 * step needs, fails after 5 wrong codes, expires after 10 minutes, and completes once (ASVS 6.6.2).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TwofoldError } from '../../src/core/errors.ts';
import type { ErrorCode } from '../../src/core/errors.ts';
import {
  assertUsable,
  effectiveState,
  initialState,
  transactionExpiresAt,
} from '../../src/core/signInTransaction.ts';
import type { TransactionSnapshot } from '../../src/core/signInTransaction.ts';
import type { TransactionState } from '../../src/core/model.ts';

const start = new Date('2026-03-01T12:00:00Z');
const expiresAt = transactionExpiresAt(start);
const before = new Date(expiresAt.getTime() - 1);
const tx = (over: Partial<TransactionSnapshot>): TransactionSnapshot => ({
  state: 'verify',
  purpose: 'sign_in',
  failures: 0,
  expiresAt,
  completedAt: null,
  ...over,
});

describe('initialState', () => {
  const cases: Array<[boolean, boolean, TransactionState]> = [
    [false, false, 'complete'],
    [false, true, 'complete'],
    [true, false, 'setup'],
    [true, true, 'verify'],
  ];
  for (const [required, hasActive, expected] of cases) {
    test(`required=${required} active factors=${hasActive} → ${expected}`, () =>
      assert.equal(initialState(required, hasActive), expected));
  }
});

test('a transaction expires 10 minutes after it starts', () => {
  assert.equal(expiresAt.getTime() - start.getTime(), 10 * 60_000);
});

describe('effectiveState', () => {
  const cases: Array<[string, TransactionSnapshot, Date, TransactionState]> = [
    ['verify before expiry', tx({}), before, 'verify'],
    ['setup before expiry', tx({ state: 'setup' }), before, 'setup'],
    ['verify at expiresAt is expired', tx({}), expiresAt, 'expired'],
    ['setup after expiresAt is expired', tx({ state: 'setup' }), new Date(expiresAt.getTime() + 1), 'expired'],
    ['4 failures: still open', tx({ failures: 4 }), before, 'verify'],
    ['5 failures not yet stored as failed', tx({ failures: 5 }), before, 'failed'],
    ['failures win over expiry', tx({ failures: 5 }), expiresAt, 'failed'],
    ['stored failed stays failed', tx({ state: 'failed' }), before, 'failed'],
    ['stored expired stays expired', tx({ state: 'expired' }), start, 'expired'],
    ['complete stays complete past expiry', tx({ state: 'complete', completedAt: before }), new Date(expiresAt.getTime() + 1), 'complete'],
    ['completedAt set means complete', tx({ completedAt: before }), before, 'complete'],
  ];
  for (const [name, t, now, expected] of cases) {
    test(`${name} → ${expected}`, () => assert.equal(effectiveState(t, now), expected));
  }
});

describe('assertUsable', () => {
  const throwsCode = (fn: () => unknown, code: ErrorCode) =>
    assert.throws(fn, (e: unknown) => e instanceof TwofoldError && e.code === code);

  const cases: Array<[string, TransactionSnapshot, Date, readonly ('verify' | 'setup')[], ErrorCode | 'verify' | 'setup']> = [
    ['verify step in verify', tx({}), before, ['verify'], 'verify'],
    ['setup step in setup', tx({ state: 'setup' }), before, ['setup'], 'setup'],
    ['a step allowed in both', tx({ state: 'setup' }), before, ['verify', 'setup'], 'setup'],
    ['a code submitted during setup', tx({ state: 'setup' }), before, ['verify'], 'transaction_state'],
    ['setup step during verify', tx({}), before, ['setup'], 'transaction_state'],
    ['expired', tx({}), expiresAt, ['verify'], 'transaction_expired'],
    ['expired, even for the wrong step', tx({}), expiresAt, ['setup'], 'transaction_expired'],
    ['failed by count', tx({ failures: 5 }), before, ['verify'], 'transaction_failed'],
    ['failed by state', tx({ state: 'failed' }), before, ['verify'], 'transaction_failed'],
    ['complete: a second completion is refused', tx({ state: 'complete', completedAt: start }), before, ['verify'], 'transaction_completed'],
    ['password change runs the same machine', tx({ purpose: 'password_change', failures: 5 }), before, ['verify'], 'transaction_failed'],
  ];
  for (const [name, t, now, allowed, expected] of cases) {
    test(`${name} → ${expected}`, () => {
      if (expected === 'verify' || expected === 'setup') assert.equal(assertUsable(t, now, allowed), expected);
      else throwsCode(() => assertUsable(t, now, allowed), expected);
    });
  }
});
