/**
 * The method contract: one catalogue of ids, a registry that implements every built method, and the
 * API's enums and enrolment fields derived from them rather than listed by hand.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { BUILT_METHOD_IDS, METHOD_CATALOGUE, METHOD_IDS } from '../../src/core/methodCatalogue.ts';
import { AVAILABLE_METHODS, METHOD_ORDER } from '../../src/core/offeredFactors.ts';
import { MethodId } from '../../src/http/schemas.ts';
import { METHOD_DISPLAY_NAMES, enrolmentDetails, enrolmentFields, methodFor } from '../../src/methods/registry.ts';
import { TwofoldError } from '../../src/core/errors.ts';

describe('method registry', () => {
  test('every built method of the catalogue has an implementation under its own id', () => {
    for (const id of BUILT_METHOD_IDS) assert.equal(methodFor(id).id, id);
  });
  test('an unknown method answers method_unavailable', () => {
    for (const id of ['fax', 'passkey']) {
      assert.throws(() => methodFor(id), (e: unknown) => e instanceof TwofoldError && e.code === 'method_unavailable');
    }
  });
  test('the order, the available methods and the names all come from the catalogue', () => {
    assert.deepEqual(METHOD_ORDER, ['push', 'totp', 'sms', 'email']);
    assert.deepEqual(AVAILABLE_METHODS, ['push', 'totp', 'sms', 'email']);
    assert.deepEqual(Object.keys(METHOD_DISPLAY_NAMES), METHOD_CATALOGUE.map((m) => m.id));
    assert.equal(METHOD_DISPLAY_NAMES.push, 'authenticator app notification');
  });
  test("the API's method enum accepts exactly the catalogue's ids", () => {
    for (const id of METHOD_IDS) assert.ok(Value.Check(MethodId, id));
    assert.ok(!Value.Check(MethodId, 'fax'));
  });
  test('the enrolment fields are the methods\' own, with the API names unchanged', () => {
    assert.deepEqual(Object.keys(enrolmentFields()).sort(), ['email', 'phoneNumber']);
    assert.deepEqual(enrolmentDetails({ type: 'sms', phoneNumber: '+14155550123' }), { phoneNumber: '+14155550123', email: undefined });
  });
  test('code methods read a typed code as a person types it, and nothing else as a response', () => {
    for (const id of BUILT_METHOD_IDS.filter((m) => m !== 'push')) {
      assert.equal(methodFor(id).readResponse({ code: '578 828' }), '578828');
      assert.equal(methodFor(id).readResponse({ pushRequestId: 'x' }), null);
      assert.equal(methodFor(id).readResponse({}), null);
    }
  });
  test('push reads an approved request id, never a typed code', () => {
    assert.equal(methodFor('push').readResponse({ code: '578828' }), null);
    assert.equal(methodFor('push').readResponse({ pushRequestId: 'r1' }), 'r1');
  });
});
