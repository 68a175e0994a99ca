/**
 * A software authenticator for the push tests, speaking the protocol of docs/push-protocol.md through
 * the app's inject(): a P-256 key made with WebCrypto, pairing with a link, reading its pending
 * requests with a signed header, and signed decisions.
 */
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { decisionMessage, deviceRequestMessage, type PushDecision } from '../../src/methods/pushSignature.ts';
import { call, type TestApp } from '../support/harness.ts';
import { activate, signInExpecting } from './_factors.ts';

export interface Device {
  readonly keys: webcrypto.CryptoKeyPair;
  readonly publicKey: string;
  deviceId: string;
}

export async function newDevice(): Promise<Device> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const spki = await webcrypto.subtle.exportKey('spki', keys.publicKey);
  return { keys, publicKey: Buffer.from(spki).toString('base64url'), deviceId: '' };
}

export async function sign(device: Device, message: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, device.keys.privateKey, message)).toString('base64url');
}

export const tokenOf = (pairingLink: string): string => new URL(pairingLink).hash.replace(/^#pair=/, '');

export async function pair(t: TestApp, device: Device, pairingLink: string): Promise<LightMyRequestResponse> {
  const response = await call(t, 'POST', '/api/v1/authenticator/pairings', {
    pairingToken: tokenOf(pairingLink), publicKey: device.publicKey, deviceName: 'Test phone', platform: 'test',
  });
  if (response.statusCode === 201) device.deviceId = (response.json() as { deviceId: string }).deviceId;
  return response;
}

export async function deviceHeader(t: TestApp, device: Device, method: string, path: string): Promise<Record<string, string>> {
  const timestamp = String(t.ctx.clock().getTime());
  return { 'twofold-device': `${device.deviceId}.${timestamp}.${await sign(device, deviceRequestMessage(method, path, device.deviceId, timestamp))}` };
}

export interface PendingRequest { id: string; purpose: string; action: string; numberDigits: number; client: { kind: string; version: string | null }; ip: string | null; memberEmail: string; organizationName: string }

export async function pendingRequests(t: TestApp, device: Device): Promise<PendingRequest[]> {
  const path = '/api/v1/authenticator/requests';
  const response = await call(t, 'GET', path, undefined, undefined, await deviceHeader(t, device, 'GET', path));
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { requests: PendingRequest[] }).requests;
}

/** Answers `requestId` signed by `signer` (the device itself unless a test forges). */
export async function answer(
  t: TestApp, signer: Device, requestId: string, number: string, decision: PushDecision,
): Promise<LightMyRequestResponse> {
  const signature = await sign(signer, decisionMessage(requestId, number, decision));
  return call(t, 'POST', `/api/v1/authenticator/requests/${requestId}/decision`, { decision, number, signature });
}

export interface PushRequestSent { id: string; number: string; expiresAt: string }

/** Starts a push request for `factorId` in the transaction (the sign-in screen's "Send push"). */
export async function sendPush(t: TestApp, transactionId: string, factorId: string): Promise<PushRequestSent> {
  const response = await call(t, 'POST', `/api/v1/transactions/${transactionId}/challenges`, { factorId });
  assert.equal(response.statusCode, 201, response.body);
  return (response.json() as { pushRequest: PushRequestSent }).pushRequest;
}

export function verifyPush(t: TestApp, transactionId: string, factorId: string, pushRequestId: string): Promise<LightMyRequestResponse> {
  return call(t, 'POST', `/api/v1/transactions/${transactionId}/verify`, { factorId, pushRequestId });
}

/** The transaction's latest push request, as the sign-in screen reads it (no wait). */
export async function latestPush(t: TestApp, transactionId: string): Promise<{ id: string; number: string; state: string; factorId: string; purpose: string } | null> {
  const response = await call(t, 'GET', `/api/v1/transactions/${transactionId}/push-request`);
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { pushRequest: { id: string; number: string; state: string; factorId: string; purpose: string } | null }).pushRequest;
}

/**
 * A member who must use two-step verification sets push up at their next console sign-in: binds it,
 * pairs `device`, approves the first request with the number the set-up shows, confirms and activates.
 */
export async function enrolPush(t: TestApp, email: string, device: Device, version?: string): Promise<{ factorId: string; token: string }> {
  const tx = await signInExpecting(t, email, 'setup', version);
  const factorId = await bindAndPairPush(t, tx.id, device);
  const done = await activate(t, tx.id);
  return { factorId, token: done.session!.token! };
}

/** Binds a push factor in set-up transaction `transactionId`, pairs `device` with it and confirms it. */
export async function bindAndPairPush(t: TestApp, transactionId: string, device: Device): Promise<string> {
  const bound = await call(t, 'POST', `/api/v1/transactions/${transactionId}/factors`, { type: 'push' });
  assert.equal(bound.statusCode, 201, bound.body);
  const { id: factorId, pairingLink } = bound.json() as { id: string; pairingLink: string };
  const paired = await pair(t, device, pairingLink);
  assert.equal(paired.statusCode, 201, paired.body);
  const shown = await latestPush(t, transactionId);
  assert.ok(shown && shown.purpose === 'pairing' && shown.state === 'pending', JSON.stringify(shown));
  const approved = await answer(t, device, shown.id, shown.number, 'approve');
  assert.equal(approved.statusCode, 200, approved.body);
  const confirmed = await call(t, 'POST', `/api/v1/transactions/${transactionId}/factors/${factorId}/confirm`, { pushRequestId: shown.id });
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  return factorId;
}
