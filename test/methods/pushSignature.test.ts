/**
 * Device-signed push decisions: a WebCrypto P-256 key signs (request id, number, decision); the server
 * verifies with the registered public key only. A forged signature, another device's key, another
 * request, number or decision all fail.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { TwofoldError } from '../../src/core/errors.ts';
import { decisionMessage, importDeviceKey, verifyDecision } from '../../src/methods/pushSignature.ts';

async function device() {
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', pair.publicKey)).toString('base64url');
  const sign = async (id: string, n: string, d: 'approve' | 'deny' | 'deny_and_report') =>
    Buffer.from(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, decisionMessage(id, n, d))).toString('base64url');
  return { spki, sign };
}

describe('push decision signatures', () => {
  test('the registered key verifies its own approval', async () => {
    const d = await device();
    const key = await importDeviceKey(d.spki);
    assert.equal(await verifyDecision(key, await d.sign('r1', '42', 'approve'), 'r1', '42', 'approve'), true);
  });
  test('another request, number or decision, another device and a forged signature all fail', async () => {
    const d = await device();
    const other = await device();
    const key = await importDeviceKey(d.spki);
    const sig = await d.sign('r1', '42', 'deny');
    assert.equal(await verifyDecision(key, sig, 'r2', '42', 'deny'), false);
    assert.equal(await verifyDecision(key, sig, 'r1', '43', 'deny'), false);
    assert.equal(await verifyDecision(key, sig, 'r1', '42', 'approve'), false);
    assert.equal(await verifyDecision(key, await other.sign('r1', '42', 'deny'), 'r1', '42', 'deny'), false);
    assert.equal(await verifyDecision(key, Buffer.alloc(64, 1).toString('base64url'), 'r1', '42', 'deny'), false);
    assert.equal(await verifyDecision(key, 'short', 'r1', '42', 'deny'), false);
  });
  test('a key that is not ECDSA P-256 is refused with validation_failed', async () => {
    const rsa = await webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
    const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', rsa.publicKey)).toString('base64url');
    for (const bad of [spki, 'not-a-key']) {
      await assert.rejects(importDeviceKey(bad), (e: unknown) => e instanceof TwofoldError && e.code === 'validation_failed');
    }
  });
});
