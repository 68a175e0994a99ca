/** A factor's lifecycle is derived from its row in one place: every state, and what each step writes. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FACTOR_STEPS, factorState } from '../../src/core/factorLifecycle.ts';

describe('factorState', () => {
  test('a factor just bound is being set up', () => {
    assert.equal(factorState({ ...FACTOR_STEPS.bind('tx', 3) }, 3), 'being_set_up');
  });
  test('a right response from it confirms it; it is not active before Activate', () => {
    assert.equal(factorState({ ...FACTOR_STEPS.bind('tx', 3), ...FACTOR_STEPS.confirm(1000) }, 3), 'confirmed');
  });
  test('Activate makes a confirmed factor active', () => {
    const row = { ...FACTOR_STEPS.bind('tx', 3), ...FACTOR_STEPS.confirm(1000), ...FACTOR_STEPS.activate() };
    assert.equal(factorState(row, 3), 'active');
    assert.equal(row.setup_transaction_id, null);
  });
  test('confirmed from a session: active at once, in the epoch of the confirmation', () => {
    const row = { ...FACTOR_STEPS.bind('session:s', 2), ...FACTOR_STEPS.confirmAndActivate(1000, 3) };
    assert.equal(factorState(row, 3), 'active');
  });
  test('an active factor of an earlier epoch is retired', () => {
    assert.equal(factorState({ active: 1, confirmed_at: 1000, epoch: 2 }, 3), 'retired');
  });
  test('a factor being set up keeps its state across an epoch change (confirming writes the current epoch)', () => {
    assert.equal(factorState({ active: 0, confirmed_at: null, epoch: 2 }, 3), 'being_set_up');
    assert.equal(factorState({ active: 0, confirmed_at: 5, epoch: 2 }, 3), 'confirmed');
  });
});
