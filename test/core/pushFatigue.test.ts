/** The rules against push fatigue and the number to match, as pure functions over the member's recent answers. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FATIGUE_SUSPENSION_MS, FATIGUE_WINDOW_MS, matchingNumber, pushAvailability } from '../../src/core/pushFatigue.ts';

const MIN = 60_000;

describe('pushAvailability', () => {
  test('two denials do not suspend; the third within ten minutes does, for fifteen minutes from it', () => {
    const two = [{ outcome: 'denied', at: 0 }, { outcome: 'expired', at: 2 * MIN }] as const;
    assert.deepEqual(pushAvailability(two, false, 3 * MIN), { state: 'available' });
    const three = [...two, { outcome: 'wrong_number', at: 9 * MIN }] as const;
    assert.deepEqual(pushAvailability(three, false, 9 * MIN), { state: 'suspended', until: 9 * MIN + FATIGUE_SUSPENSION_MS });
    assert.deepEqual(pushAvailability(three, false, 9 * MIN + FATIGUE_SUSPENSION_MS), { state: 'available' });
  });
  test('three spread over more than ten minutes do not suspend; approvals do not count', () => {
    const spread = [{ outcome: 'denied', at: 0 }, { outcome: 'approved', at: 1 * MIN }, { outcome: 'denied', at: 5 * MIN },
      { outcome: 'approved', at: 6 * MIN }, { outcome: 'expired', at: FATIGUE_WINDOW_MS + 1 }] as const;
    assert.deepEqual(pushAvailability(spread, false, FATIGUE_WINDOW_MS + 2), { state: 'available' });
  });
  test('the window slides: a fixed window starting again would let these through', () => {
    const events = [{ outcome: 'denied', at: 8 * MIN }, { outcome: 'denied', at: 11 * MIN }, { outcome: 'denied', at: 12 * MIN }] as const;
    assert.equal(pushAvailability(events, false, 12 * MIN).state, 'suspended');
  });
  test('a report locks push until an administrator clears it, whatever the clock says', () => {
    assert.deepEqual(pushAvailability([], true, 10 ** 12), { state: 'locked' });
  });
});

describe('matchingNumber', () => {
  test('two digits by default, zero-padded; six where required', () => {
    assert.equal(matchingNumber(2, () => 7), '07');
    assert.equal(matchingNumber(6, () => 4321), '004321');
    let max = 0;
    matchingNumber(6, (m) => { max = m; return 0; });
    assert.equal(max, 1_000_000);
  });
});
