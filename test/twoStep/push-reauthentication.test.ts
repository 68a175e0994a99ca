/**
 * Verifying again from a session with the authenticator app notification: a member whose only method
 * is push starts a request bound to this session, waits for it, and verifies with the approved
 * request's id, as at sign-in: used once, refused when denied, and refused while push is locked. On
 * SQLite and PostgreSQL.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { signInExpecting } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith } from './_fixtures.ts';
import { answer, enrolPush, newDevice, pendingRequests, sendPush as sendTransactionPush, type Device, type PushRequestSent } from './_push.ts';

const PUSH_ONLY = { technicians: 'all' as const, primaryMethod: 'push' as const, allowedMethods: ['push' as const, 'totp' as const] };
const WINDOW_MS = 10 * 60_000;

for (const engine of engines()) {
  describe(`verifying again with push on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    /** A push-only member whose session is past the ten minutes of its sign-in. */
    async function pushOnlyPastWindow(): Promise<{ device: Device; factorId: string; token: string }> {
      const org = await organizationWith(t, PUSH_ONLY);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const device = await newDevice();
      const enrolled = await enrolPush(t, member.email, device);
      t.clock.advance(WINDOW_MS + 1);
      expectProblem(await call(t, 'POST', '/api/v1/me/recovery-codes', undefined, enrolled.token), 403, 'reauthentication_required');
      return { device, ...enrolled };
    }

    async function sendPush(factorId: string, token: string): Promise<PushRequestSent> {
      const sent = await call(t, 'POST', '/api/v1/me/reauthentication/challenges', { factorId }, token);
      assert.equal(sent.statusCode, 201, sent.body);
      const body = sent.json() as { expiresAt: string; pushRequest: PushRequestSent };
      assert.match(body.pushRequest.number, /^\d{2}$/);
      return body.pushRequest;
    }

    const verify = (factorId: string, pushRequestId: string, token: string) =>
      call(t, 'POST', '/api/v1/me/reauthentication', { factorId, pushRequestId }, token);

    test('an approved push verifies the session again, once; the wait shows it approved', async () => {
      const { device, factorId, token } = await pushOnlyPastWindow();
      const sent = await sendPush(factorId, token);
      const [pending] = await pendingRequests(t, device);
      assert.equal(pending?.id, sent.id);
      // Not answered yet: refused like a wrong code.
      expectProblem(await verify(factorId, sent.id, token), 400, 'invalid_code');
      assert.equal((await answer(t, device, sent.id, sent.number, 'approve')).statusCode, 200);

      const waited = await call(t, 'GET', `/api/v1/me/push-request?seen=${sent.id}:pending&waitSeconds=0`, undefined, token);
      assert.equal(waited.statusCode, 200, waited.body);
      const shown = (waited.json() as { pushRequest: { id: string; state: string; number: string } }).pushRequest;
      assert.deepEqual([shown.id, shown.state, shown.number], [sent.id, 'approved', sent.number]);

      const verified = await verify(factorId, sent.id, token);
      assert.equal(verified.statusCode, 200, verified.body);
      const codes = await call(t, 'POST', '/api/v1/me/recovery-codes', undefined, token);
      assert.equal(codes.statusCode, 201, codes.body);

      // Replayed after the window: the approval was used.
      t.clock.advance(WINDOW_MS + 1);
      expectProblem(await verify(factorId, sent.id, token), 400, 'invalid_code');
      expectProblem(await call(t, 'POST', '/api/v1/me/recovery-codes', undefined, token), 403, 'reauthentication_required');
    });

    test('the authenticator is told what each request is for: verifying again is `confirm_identity`, not a sign-in; a forgotten password\'s reset is `password_reset`', async () => {
      const org = await organizationWith(t, PUSH_ONLY);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const device = await newDevice();
      const { factorId, token } = await enrolPush(t, member.email, device);
      t.clock.advance(WINDOW_MS + 1);
      /** The one pending request's purpose and action, approved so the next one can be sent. */
      const shown = async (sent: PushRequestSent) => {
        const [request] = await pendingRequests(t, device);
        assert.ok(request && request.id === sent.id, JSON.stringify(request));
        assert.equal((await answer(t, device, sent.id, sent.number, 'approve')).statusCode, 200);
        return [request.purpose, request.action];
      };

      // `purpose` keeps its values for the authenticators that know only it.
      assert.deepEqual(await shown(await sendPush(factorId, token)), ['sign_in', 'confirm_identity']);
      const change = await call(t, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'Another-Pass-7' }, token);
      assert.equal(change.statusCode, 202, change.body);
      assert.deepEqual(await shown(await sendTransactionPush(t, (change.json() as { id: string }).id, factorId)), ['password_change', 'password_change']);
      const signIn = await signInExpecting(t, member.email, 'verify');
      assert.deepEqual(await shown(await sendTransactionPush(t, signIn.id, factorId)), ['sign_in', 'sign_in']);
      // A forgotten password's reset, with the emailed link: a password change to `purpose`, a reset to `action`.
      assert.equal((await call(t, 'POST', '/api/v1/password-resets', { email: member.email })).statusCode, 202);
      const resetMail = () => t.outbox.find((m) => m.to === member.email && m.text.includes('/password-reset/'));
      for (let i = 0; i < 100 && !resetMail(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      const link = /\/password-reset\/([A-Za-z0-9_-]+)/.exec(resetMail()?.text ?? '')?.[1];
      assert.ok(link, 'the reset link was emailed');
      const reset = await call(t, 'POST', `/api/v1/password-resets/${link}`, { newPassword: 'Yet-Another-Pass-8', client: { kind: 'technician-console' } });
      assert.equal(reset.statusCode, 202, reset.body);
      assert.deepEqual(await shown(await sendTransactionPush(t, (reset.json() as { id: string }).id, factorId)), ['password_change', 'password_reset']);
    });

    test('two parallel verifications with one approval: one succeeds', async () => {
      const { device, factorId, token } = await pushOnlyPastWindow();
      const sent = await sendPush(factorId, token);
      assert.equal((await answer(t, device, sent.id, sent.number, 'approve')).statusCode, 200);
      const results = await Promise.all([verify(factorId, sent.id, token), verify(factorId, sent.id, token)]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 400]);
    });

    test('a denied push is refused, and a reported one locks push for verifying again too', async () => {
      const { device, factorId, token } = await pushOnlyPastWindow();
      const denied = await sendPush(factorId, token);
      assert.equal((await answer(t, device, denied.id, '', 'deny')).statusCode, 200);
      expectProblem(await verify(factorId, denied.id, token), 400, 'invalid_code');

      const reported = await sendPush(factorId, token);
      assert.equal((await answer(t, device, reported.id, '', 'deny_and_report')).statusCode, 200);
      expectProblem(await verify(factorId, reported.id, token), 400, 'invalid_code');
      expectProblem(await call(t, 'POST', '/api/v1/me/reauthentication/challenges', { factorId }, token), 403, 'push_locked');
      expectProblem(await call(t, 'POST', '/api/v1/me/factors', { type: 'totp' }, token), 403, 'reauthentication_required');
    });

    test('one request at a time, and a wrong number verifies nothing', async () => {
      const { device, factorId, token } = await pushOnlyPastWindow();
      const sent = await sendPush(factorId, token);
      expectProblem(await call(t, 'POST', '/api/v1/me/reauthentication/challenges', { factorId }, token), 409, 'push_pending');
      // A wrong number ends the request: it verifies nothing.
      expectProblem(await answer(t, device, sent.id, sent.number === '00' ? '01' : '00', 'approve'), 422, 'push_number_mismatch');
      expectProblem(await verify(factorId, sent.id, token), 400, 'invalid_code');
    });
  });
}
