/**
 * Threat: online guessing of codes. docs/security.md S3 (NIST §3.2.2): at most 100 consecutive failures per
 * factor before it is locked; Twofold also locks for a doubling while every 10 failures. docs/security.md S5:
 * sent codes live 10 minutes at most.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CODE_TTL_MS,
  FACTOR_BASE_LOCK_MS,
  FACTOR_LOCK_THRESHOLD,
  FACTOR_MAX_CONSECUTIVE_FAILURES,
  lockAfterFailure,
  MAX_SENDS_PER_IP,
  MAX_SENDS_PER_MEMBER,
  RESEND_WAIT_MS,
  secondsUntil,
  SEND_WINDOW_MS,
  TRANSACTION_MAX_FAILURES,
  TRANSACTION_TTL_MS,
} from '../../src/core/lockout.ts';

const now = new Date('2026-03-01T12:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('lockAfterFailure', () => {
  const cases: Array<[number, number | 'reset' | null]> = [
    [1, null],
    [9, null],
    [10, 15 * MIN],
    [11, null],
    [19, null],
    [20, 30 * MIN],
    [30, HOUR],
    [40, 2 * HOUR],
    [50, 4 * HOUR],
    [60, 8 * HOUR],
    [70, 16 * HOUR],
    [80, 32 * HOUR],
    [90, 64 * HOUR],
    [99, null],
    [100, 'reset'],
    [101, 'reset'],
    [250, 'reset'],
  ];
  for (const [failures, expected] of cases) {
    test(`${failures} consecutive failures → ${expected === null || expected === 'reset' ? expected : `${expected / MIN} min`}`, () => {
      const outcome = lockAfterFailure(failures, now);
      if (expected === null) assert.equal(outcome, null);
      else if (expected === 'reset') assert.deepEqual(outcome, { lockedUntilReset: true });
      else assert.deepEqual(outcome, { lockedUntil: new Date(now.getTime() + expected) });
    });
  }

  test('the 100th failure is the last one possible: docs/security.md S3 allows at most 100', () => {
    assert.ok(FACTOR_MAX_CONSECUTIVE_FAILURES <= 100);
    let locks = 0;
    for (let n = 1; n < FACTOR_MAX_CONSECUTIVE_FAILURES; n++) if (lockAfterFailure(n, now) !== null) locks++;
    assert.equal(locks, FACTOR_MAX_CONSECUTIVE_FAILURES / FACTOR_LOCK_THRESHOLD - 1);
    assert.equal(FACTOR_BASE_LOCK_MS, 15 * MIN);
  });

  for (const bad of [-1, 0.5, Number.NaN]) {
    test(`refuses a count of ${bad}`, () => assert.throws(() => lockAfterFailure(bad, now), RangeError));
  }
  test('0 failures lock nothing', () => assert.equal(lockAfterFailure(0, now), null));
});

describe('limits', () => {
  test('sent codes and transactions live at most 10 minutes (docs/security.md S5)', () => {
    assert.equal(CODE_TTL_MS, 10 * MIN);
    assert.equal(TRANSACTION_TTL_MS, 10 * MIN);
  });
  test('sending limits (docs/security.md S18)', () => {
    assert.equal(RESEND_WAIT_MS, 30_000);
    assert.equal(MAX_SENDS_PER_MEMBER, 5);
    assert.equal(MAX_SENDS_PER_IP, 20);
    assert.equal(SEND_WINDOW_MS, 15 * MIN);
    assert.equal(TRANSACTION_MAX_FAILURES, 5);
  });
});

describe('secondsUntil', () => {
  const cases: Array<[number, number]> = [[-5000, 0], [0, 0], [1, 1], [999, 1], [1000, 1], [1001, 2], [15 * MIN, 900]];
  for (const [ms, seconds] of cases) {
    test(`${ms} ms ahead → ${seconds} s`, () => assert.equal(secondsUntil(new Date(now.getTime() + ms), now), seconds));
  }
});
