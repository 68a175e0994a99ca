/**
 * Setting factors up through the API, as a member would: sign in, bind the factor in the set-up
 * transaction, confirm it with a code from it, activate. Codes come from the seed (TOTP) or from the
 * message the recording sender (or a test's own sender) received.
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { totpCode, totpStepAt } from '../../src/methods/totp.ts';
import { PASSWORD, call, consoleSignIn, lastCode, type TestApp, type TransactionBody } from '../support/harness.ts';

/** RFC 4648 base32 (no padding) to bytes, as an authenticator app reads the key URI's secret. */
export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/=+$/, '')) {
    const value = alphabet.indexOf(char);
    assert.ok(value >= 0, `not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

export const secretOf = (otpauthUri: string): string => new URL(otpauthUri).searchParams.get('secret') ?? assert.fail('no secret');
export const seedOf = (otpauthUri: string): Buffer => base32Decode(secretOf(otpauthUri));

/** The TOTP code of `seed` at the injected clock, `offset` steps away. */
export const totpNow = (t: TestApp, seed: Uint8Array, offset = 0): string => totpCode(seed, totpStepAt(t.clock.now()) + offset);

/** A 6-digit code that is certainly not one TOTP accepts now for `seed`. */
export function wrongTotp(t: TestApp, seed: Uint8Array, salt = 0): string {
  const accepted = new Set([-1, 0, 1].map((offset) => totpNow(t, seed, offset)));
  for (let n = 123_456 + salt * 7919; ; n++) {
    const code = String(n % 1_000_000).padStart(6, '0');
    if (!accepted.has(code)) return code;
  }
}

export interface PendingTotp {
  readonly factorId: string;
  readonly seed: Buffer;
  readonly otpauthUri: string;
  readonly qrCodeSvg: string;
}

/** Binds a TOTP factor in a set-up transaction (not yet confirmed). */
export async function bindTotp(t: TestApp, transactionId: string, headers: Record<string, string> = {}): Promise<PendingTotp> {
  const response = await call(t, 'POST', `/api/v1/transactions/${transactionId}/factors`, { type: 'totp' }, undefined, headers);
  assert.equal(response.statusCode, 201, response.body);
  const body = response.json() as { id: string; otpauthUri: string; qrCodeSvg: string };
  return { factorId: body.id, seed: seedOf(body.otpauthUri), otpauthUri: body.otpauthUri, qrCodeSvg: body.qrCodeSvg };
}

export function confirm(t: TestApp, transactionId: string, factorId: string, code: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return call(t, 'POST', `/api/v1/transactions/${transactionId}/factors/${factorId}/confirm`, { code }, undefined, headers);
}

export function verify(t: TestApp, transactionId: string, factorId: string, code: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return call(t, 'POST', `/api/v1/transactions/${transactionId}/verify`, { factorId, code }, undefined, headers);
}

export function challenge(t: TestApp, transactionId: string, factorId: string): Promise<LightMyRequestResponse> {
  return call(t, 'POST', `/api/v1/transactions/${transactionId}/challenges`, { factorId });
}

export async function activate(t: TestApp, transactionId: string): Promise<TransactionBody> {
  const response = await call(t, 'POST', `/api/v1/transactions/${transactionId}/activate`);
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json() as TransactionBody;
  assert.equal(body.state, 'complete');
  return body;
}

/** Signs in from a console and expects `state`. */
export async function signInExpecting(t: TestApp, email: string, state: string, version?: string): Promise<TransactionBody> {
  const { response, body } = await consoleSignIn(t, email, PASSWORD, version);
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(body.state, state);
  return body;
}

export interface EnrolledTotp {
  readonly factorId: string;
  readonly seed: Buffer;
  /** The console session the set-up ended with. */
  readonly token: string;
}

/**
 * A member who must use two-step verification sets TOTP up at their next console sign-in. The clock
 * then moves one step on, so the step used to confirm is not the one the test verifies with next.
 */
export async function enrolTotp(t: TestApp, email: string): Promise<EnrolledTotp> {
  const tx = await signInExpecting(t, email, 'setup');
  const pending = await bindTotp(t, tx.id);
  const confirmed = await confirm(t, tx.id, pending.factorId, totpNow(t, pending.seed));
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  const done = await activate(t, tx.id);
  t.clock.advance(30_000);
  return { factorId: pending.factorId, seed: pending.seed, token: done.session!.token! };
}

/** Binds an SMS or email factor in a set-up transaction and confirms it with the code it was sent. */
export async function bindSentCode(
  t: TestApp, transactionId: string, type: 'sms' | 'email', destination: string, readCode: (to: string) => string | Promise<string> = (to) => lastCode(t, to),
): Promise<string> {
  const body = type === 'sms' ? { type, phoneNumber: destination } : { type, email: destination };
  const created = await call(t, 'POST', `/api/v1/transactions/${transactionId}/factors`, body);
  assert.equal(created.statusCode, 201, created.body);
  const factorId = (created.json() as { id: string }).id;
  const confirmed = await confirm(t, transactionId, factorId, await readCode(destination));
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  return factorId;
}

/** A member sets up an SMS or email factor at their next console sign-in; returns it and the session. */
export async function enrolSentCode(
  t: TestApp, email: string, type: 'sms' | 'email', destination: string, readCode?: (to: string) => string | Promise<string>,
): Promise<{ factorId: string; token: string }> {
  const tx = await signInExpecting(t, email, 'setup');
  const factorId = await bindSentCode(t, tx.id, type, destination, readCode);
  const done = await activate(t, tx.id);
  // The tests that count sends in a window count their times from 30 s after the set-up's code.
  t.clock.advance(30_000);
  return { factorId, token: done.session!.token! };
}

/** Signs in and verifies with the current TOTP code; returns the console session token. */
export async function signInWithTotp(t: TestApp, email: string, factor: { factorId: string; seed: Buffer }): Promise<string> {
  const tx = await signInExpecting(t, email, 'verify');
  const verified = await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed));
  assert.equal(verified.statusCode, 200, verified.body);
  t.clock.advance(30_000);
  return (verified.json() as TransactionBody).session!.token!;
}

let phoneCounter = 0;
/** A fresh E.164 number for this process. */
export const newPhone = (): string => `+1415${String(process.pid % 1000).padStart(3, '0')}${String(++phoneCounter).padStart(4, '0')}`;
