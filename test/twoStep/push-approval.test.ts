/**
 * The authenticator app notification through the API (docs/push-protocol.md): pairing with a
 * single-use link confirmed by a first signed approval, a sign-in approved with the number shown,
 * denial, expiry, a wrong number (a failed attempt), a replayed approval, a forged signature and a
 * second device's key, on SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { purgeEnded } from '../../src/services/housekeeping/purgeEnded.ts';
import { call, consoleSignIn, createTestApp, engines, type TestApp, type TransactionBody } from '../support/harness.ts';
import { enrolTotp, signInExpecting, signInWithTotp, totpNow } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, saveSettings, transactionFailures, type MemberFixture } from './_fixtures.ts';
import { answer, bindAndPairPush, deviceHeader, enrolPush, latestPush, newDevice, pair, pendingRequests, sendPush, verifyPush, type Device } from './_push.ts';

const PUSH_FIRST = { technicians: 'all' as const, primaryMethod: 'push' as const, allowedMethods: ['push' as const, 'totp' as const, 'sms' as const, 'email' as const] };

for (const engine of engines()) {
  describe(`push approval on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    async function pushMember(): Promise<{ member: MemberFixture; device: Device; factorId: string }> {
      const org = await organizationWith(t, PUSH_FIRST);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const device = await newDevice();
      const { factorId } = await enrolPush(t, member.email, device);
      return { member, device, factorId };
    }

    test('pairing: the link pairs once, within ten minutes, and the factor is confirmed by the first signed approval', async () => {
      const org = await organizationWith(t, PUSH_FIRST);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const tx = await signInExpecting(t, member.email, 'setup');
      assert.equal(tx.setup?.primaryMethod, 'push');
      const bound = await call(t, 'POST', `/api/v1/transactions/${tx.id}/factors`, { type: 'push' });
      assert.equal(bound.statusCode, 201, bound.body);
      const body = bound.json() as { id: string; pairingLink: string; qrCodeSvg: string; pairingExpiresAt: string };
      assert.match(body.pairingLink, /\/authenticator#pair=[A-Za-z0-9_-]{43}$/);
      assert.match(body.qrCodeSvg, /^<svg/);
      assert.equal(new Date(body.pairingExpiresAt).getTime() - t.clock.now().getTime(), 10 * 60_000);

      // Not confirmed before a signed approval: Activate refuses.
      const device = await newDevice();
      assert.equal((await pair(t, device, body.pairingLink)).statusCode, 201);
      expectProblem(await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`), 409, 'primary_factor_required');
      // Single use: a second device cannot pair with the same link.
      expectProblem(await pair(t, await newDevice(), body.pairingLink), 410, 'invalid_pairing');

      const shown = await latestPush(t, tx.id);
      assert.equal(shown?.purpose, 'pairing');
      const requests = await pendingRequests(t, device);
      assert.equal(requests.length, 1);
      assert.equal(requests[0]!.id, shown!.id);
      assert.equal(requests[0]!.numberDigits, 2);
      assert.equal(requests[0]!.memberEmail, member.email);
      assert.equal('number' in requests[0]!, false, 'the authenticator is never told the number');
      assert.equal((await answer(t, device, shown!.id, shown!.number, 'approve')).statusCode, 200);
      const confirmed = await call(t, 'POST', `/api/v1/transactions/${tx.id}/factors/${body.id}/confirm`, { pushRequestId: shown!.id });
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      const done = await call(t, 'POST', `/api/v1/transactions/${tx.id}/activate`);
      assert.equal(done.statusCode, 200, done.body);
    });

    test('pairing: a link older than ten minutes, or replaced, pairs nothing', async () => {
      const org = await organizationWith(t, PUSH_FIRST);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const tx = await signInExpecting(t, member.email, 'setup');
      const first = (await call(t, 'POST', `/api/v1/transactions/${tx.id}/factors`, { type: 'push' })).json() as { pairingLink: string };
      const second = (await call(t, 'POST', `/api/v1/transactions/${tx.id}/factors`, { type: 'push' })).json() as { pairingLink: string };
      expectProblem(await pair(t, await newDevice(), first.pairingLink), 410, 'invalid_pairing');
      t.clock.advance(10 * 60_000 + 1);
      expectProblem(await pair(t, await newDevice(), second.pairingLink), 410, 'invalid_pairing');
    });

    test('approval: the number shown, signed by the device, completes the sign-in once', async () => {
      const { member, device, factorId } = await pushMember();
      const tx = await signInExpecting(t, member.email, 'verify', '7.60.0');
      assert.equal(tx.defaultFactorId, factorId);
      const sent = await sendPush(t, tx.id, factorId);
      assert.match(sent.number, /^\d{2}$/);
      const [request] = await pendingRequests(t, device);
      assert.equal(request?.id, sent.id);
      assert.deepEqual(request?.client, { kind: 'technician-console', version: '7.60.0' });
      assert.ok(request?.ip);
      // Not yet approved: verify refuses it as a wrong code.
      expectProblem(await verifyPush(t, tx.id, factorId, sent.id), 400, 'invalid_code');
      const approved = await answer(t, device, sent.id, sent.number, 'approve');
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().state, 'approved');
      assert.equal((await latestPush(t, tx.id))?.state, 'approved');
      const verified = await verifyPush(t, tx.id, factorId, sent.id);
      assert.equal(verified.statusCode, 200, verified.body);
      assert.equal((verified.json() as TransactionBody).state, 'complete');
      assert.ok((verified.json() as TransactionBody).session?.token);

      // Replayed: the same signed approval answers nothing more, and completes no other transaction.
      expectProblem(await answer(t, device, sent.id, sent.number, 'approve'), 409, 'push_request_closed');
      const next = await signInExpecting(t, member.email, 'verify');
      expectProblem(await verifyPush(t, next.id, factorId, sent.id), 400, 'invalid_code');
    });

    test('denial ends the request; the sign-in side sees it at once', async () => {
      const { member, device, factorId } = await pushMember();
      const tx = await signInExpecting(t, member.email, 'verify');
      const sent = await sendPush(t, tx.id, factorId);
      const waiting = call(t, 'GET', `/api/v1/transactions/${tx.id}/push-request?seen=${sent.id}:pending&waitSeconds=20`);
      const started = Date.now();
      const denied = await answer(t, device, sent.id, '', 'deny');
      assert.equal(denied.json().state, 'denied');
      const seen = await waiting;
      assert.equal(seen.statusCode, 200, seen.body);
      assert.equal(seen.json().pushRequest.state, 'denied');
      assert.ok(Date.now() - started < 5_000, 'the wait answered on the change, not at its end');
      expectProblem(await verifyPush(t, tx.id, factorId, sent.id), 400, 'invalid_code');
      expectProblem(await answer(t, device, sent.id, sent.number, 'approve'), 409, 'push_request_closed');
    });

    test('expiry: after 60 seconds the request can no longer be approved', async () => {
      const { member, device, factorId } = await pushMember();
      const tx = await signInExpecting(t, member.email, 'verify');
      const sent = await sendPush(t, tx.id, factorId);
      t.clock.advance(60_000);
      const late = expectProblem(await answer(t, device, sent.id, sent.number, 'approve'), 409, 'push_request_closed');
      assert.equal(late.state, 'expired');
      assert.equal((await latestPush(t, tx.id))?.state, 'expired');
      assert.deepEqual(await pendingRequests(t, device), []);
    });

    test('a wrong number ends the request and counts as a failed attempt', async () => {
      const { member, device, factorId } = await pushMember();
      const tx = await signInExpecting(t, member.email, 'verify');
      const sent = await sendPush(t, tx.id, factorId);
      const wrong = sent.number === '00' ? '01' : '00';
      expectProblem(await answer(t, device, sent.id, wrong, 'approve'), 422, 'push_number_mismatch');
      assert.equal(await transactionFailures(t, tx.id), 1);
      assert.equal((await latestPush(t, tx.id))?.state, 'wrong_number');
      expectProblem(await answer(t, device, sent.id, sent.number, 'approve'), 409, 'push_request_closed');
      expectProblem(await verifyPush(t, tx.id, factorId, sent.id), 400, 'invalid_code');
    });

    test('a forged signature, and another device of the same member, are refused and leave the request pending', async () => {
      const { member, device, factorId } = await pushMember();
      // A second push factor of the same member, on another device.
      const session = await call(t, 'POST', '/api/v1/sign-in', { email: member.email, password: member.password, client: { kind: 'website' } });
      assert.equal(session.statusCode, 200);
      const other = await newDevice();
      const tx = await signInExpecting(t, member.email, 'verify');
      const sent = await sendPush(t, tx.id, factorId);

      expectProblem(await answer(t, await newDevice(), sent.id, sent.number, 'approve'), 403, 'push_signature_invalid');
      // A key of the member's that is registered, but for another factor, is not this request's device.
      const tx2 = await signInExpecting(t, member.email, 'verify');
      void tx2;
      other.deviceId = device.deviceId;
      expectProblem(await answer(t, other, sent.id, sent.number, 'approve'), 403, 'push_signature_invalid');
      // A signature over another number or decision does not stand for this one.
      const bad = await call(t, 'POST', `/api/v1/authenticator/requests/${sent.id}/decision`, {
        decision: 'approve', number: sent.number, signature: Buffer.alloc(64, 1).toString('base64url'),
      });
      expectProblem(bad, 403, 'push_signature_invalid');
      assert.equal((await latestPush(t, tx.id))?.state, 'pending');
      assert.equal((await answer(t, device, sent.id, sent.number, 'approve')).statusCode, 200);
      assert.equal((await verifyPush(t, tx.id, factorId, sent.id)).statusCode, 200);
    });

    test('device reads need the device signature', async () => {
      const { device } = await pushMember();
      const path = '/api/v1/authenticator/requests';
      expectProblem(await call(t, 'GET', path), 403, 'push_signature_invalid');
      const stranger = await newDevice();
      stranger.deviceId = device.deviceId;
      const { deviceHeader } = await import('./_push.ts');
      expectProblem(await call(t, 'GET', path, undefined, undefined, await deviceHeader(t, stranger, 'GET', path)), 403, 'push_signature_invalid');
      const stale = await deviceHeader(t, device, 'GET', path);
      t.clock.advance(61_000);
      expectProblem(await call(t, 'GET', path, undefined, undefined, stale), 403, 'push_signature_invalid');
    });

    test('a device is refused once a reset of everyone has retired its pairing, and once a reset of its member removed it; the device paired next reads', async () => {
      const path = '/api/v1/authenticator/requests';
      const org = await organizationWith(t, PUSH_FIRST);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const device = await newDevice();
      await enrolPush(t, member.email, device);
      assert.deepEqual(await pendingRequests(t, device), []);
      // A new primary method resets everyone at once: the factors are retired, not deleted, and the
      // device's reads say that its pairing no longer counts.
      const { membersReset } = await saveSettings(t, org.masterToken, { ...PUSH_FIRST, primaryMethod: 'totp' });
      assert.ok(membersReset >= 1);
      const refusedRead = async (of: Device) => call(t, 'GET', path, undefined, undefined, await deviceHeader(t, of, 'GET', path));
      expectProblem(await refusedRead(device), 403, 'push_signature_invalid');
      // Push first again (another reset), then set up with a new device: it reads, the old one stays refused.
      await saveSettings(t, org.masterToken, PUSH_FIRST);
      const again = await newDevice();
      await enrolPush(t, member.email, again);
      assert.deepEqual(await pendingRequests(t, again), []);
      expectProblem(await refusedRead(device), 403, 'push_signature_invalid');
      // "Force two-step verification reset" of this member removes the factor, and its device with it.
      const reset = await call(t, 'POST', '/api/v1/two-step-verification/resets', { memberIds: [member.id] }, org.masterToken);
      assert.equal(reset.statusCode, 200, reset.body);
      expectProblem(await refusedRead(again), 403, 'push_signature_invalid');
    });

    test('the console gets the session token after an approval', async () => {
      const { member, device, factorId } = await pushMember();
      const { body: tx } = await consoleSignIn(t, member.email);
      const sent = await sendPush(t, tx.id, factorId);
      await answer(t, device, sent.id, sent.number, 'approve');
      const verified = await verifyPush(t, tx.id, factorId, sent.id);
      const token = (verified.json() as TransactionBody).session!.token!;
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).statusCode, 200);
    });

    test('pairing from the account: the link, the session\'s wait, and confirmation by the first approval', async () => {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'totp', allowedMethods: ['push', 'totp'] });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const totp = await enrolTotp(t, member.email);
      const otherSession = await enrolOtherSession(member.email, totp);
      const reauth = await call(t, 'POST', '/api/v1/me/reauthentication', { factorId: totp.factorId, code: totpNow(t, totp.seed) }, totp.token);
      assert.equal(reauth.statusCode, 200, reauth.body);
      const added = await call(t, 'POST', '/api/v1/me/factors', { type: 'push' }, totp.token);
      assert.equal(added.statusCode, 201, added.body);
      const { id: factorId, pairingLink } = added.json() as { id: string; pairingLink: string };
      const device = await newDevice();
      assert.equal((await pair(t, device, pairingLink)).statusCode, 201);
      const waited = await call(t, 'GET', '/api/v1/me/push-request', undefined, totp.token);
      const shown = (waited.json() as { pushRequest: { id: string; number: string; purpose: string; factorId: string } }).pushRequest;
      assert.equal(shown.purpose, 'pairing');
      assert.equal(shown.factorId, factorId);
      // Another session's wait does not see it.
      const other = await call(t, 'GET', '/api/v1/me/push-request', undefined, otherSession);
      assert.equal(other.json().pushRequest, null);
      assert.equal((await answer(t, device, shown.id, shown.number, 'approve')).statusCode, 200);
      const confirmed = await call(t, 'POST', `/api/v1/me/factors/${factorId}/confirm`, { pushRequestId: shown.id }, totp.token);
      assert.equal(confirmed.statusCode, 200, confirmed.body);
      // The next sign-in offers it.
      const tx = await signInExpecting(t, member.email, 'verify');
      assert.ok(tx.factors.some((f) => f.id === factorId));
      const sent = await sendPush(t, tx.id, factorId);
      assert.equal((await answer(t, device, sent.id, sent.number, 'approve')).statusCode, 200);
      assert.equal((await verifyPush(t, tx.id, factorId, sent.id)).statusCode, 200);
    });

    test('housekeeping deletes push requests and pairing links a day after they ended', async () => {
      const { member, factorId } = await pushMember();
      const tx = await signInExpecting(t, member.email, 'verify');
      await sendPush(t, tx.id, factorId);
      assert.equal((await purgeEnded(t.ctx)).pushRecords, 0);
      t.clock.advance(25 * 3_600_000);
      assert.ok((await purgeEnded(t.ctx)).pushRecords >= 3, 'the pairing link, its confirmation and the sign-in request');
      const left = await t.ctx.db.selectFrom('push_requests').select('id').where('member_id', '=', member.id).execute();
      assert.deepEqual(left, []);
    });

    async function enrolOtherSession(email: string, totp: { factorId: string; seed: Buffer }): Promise<string> {
      t.clock.advance(30_000);
      return signInWithTotp(t, email, totp);
    }

    void bindAndPairPush;
  });
}
