/**
 * The client package's built-in push step against a real server over HTTP, on both databases: the
 * number reaches `showPushNumber`, the walk waits on the long-poll (a handful of calls, not a tight
 * loop) and completes once the authenticator approves; a denial, a report, a wrong number and
 * suspension after three denials end the walk with their codes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TwofoldProblem, createTwofoldClient, signIn, technicianConsole, type PushPrompt, type SignInPrompts,
} from '../../packages/client/src/index.ts';
import type { PushDecision } from '../../src/methods/pushSignature.ts';
import { PASSWORD, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { addGroup, addMember, organizationWith } from '../twoStep/_fixtures.ts';
import { answer, enrolPush, newDevice, pendingRequests, type Device } from '../twoStep/_push.ts';

const PUSH_FIRST = { technicians: 'all' as const, primaryMethod: 'push' as const, allowedMethods: ['push' as const, 'totp' as const] };

for (const engine of engines()) {
  describe(`the client's push step on ${engine}`, () => {
    let t: TestApp;
    let baseUrl: string;
    before(async () => {
      t = await createTestApp({ engine });
      baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    });
    after(() => t.close());

    async function pushMember(): Promise<{ email: string; device: Device }> {
      const org = await organizationWith(t, PUSH_FIRST);
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const device = await newDevice();
      await enrolPush(t, member.email, device);
      return { email: member.email, device };
    }

    /** Signs in as a console; the authenticator answers `decision` a moment after the number is shown. */
    async function signInAnswering(email: string, device: Device, decision: PushDecision, typed?: (shown: string) => string) {
      const paths: string[] = [];
      const shown: PushPrompt[] = [];
      const answers: Promise<unknown>[] = [];
      const api = createTwofoldClient({ baseUrl, fetch: (request) => { paths.push(new URL(request.url).pathname); return fetch(request); } });
      const prompts: SignInPrompts = {
        chooseFactor: () => Promise.reject(new Error('the push factor is suggested, no choice asked')),
        askCode: () => Promise.reject(new Error('no code asked with push')),
        askPhoneNumber: () => Promise.reject(new Error('not asked')),
        showAuthenticatorSetup: () => {},
        showPushNumber(prompt) {
          shown.push(prompt);
          // Answered while the walk is already waiting on the long-poll.
          answers.push(new Promise((resolve) => setTimeout(resolve, 400)).then(async () => {
            assert.ok(paths.some((p) => p.endsWith('/push-request')), 'the walk waits on the long-poll');
            const [pending] = await pendingRequests(t, device);
            return answer(t, device, pending!.id, decision === 'approve' ? (typed ?? ((n) => n))(prompt.number) : '', decision);
          }));
        },
      };
      const outcome = await signIn(api, { email, password: PASSWORD, client: technicianConsole('8.0.0'), prompts })
        .then((result) => ({ result, error: null }), (error: unknown) => ({ result: null, error }));
      await Promise.all(answers);
      return { ...outcome, shown, polls: paths.filter((p) => p.endsWith('/push-request')).length };
    }

    const failsWith = (error: unknown, code: string) => {
      assert.ok(error instanceof TwofoldProblem, String(error));
      assert.equal(error.code, code);
    };

    test('approved: the number is shown, the walk waits on the long-poll and completes with a session', async () => {
      const { email, device } = await pushMember();
      const { result, error, shown, polls } = await signInAnswering(email, device, 'approve');
      assert.equal(error, null);
      assert.ok(result?.session?.token);
      assert.equal(shown.length, 1);
      assert.match(shown[0]!.number, /^\d{2}$/);
      assert.equal(shown[0]!.factor.type, 'push');
      assert.ok(polls >= 1 && polls <= 3, `${polls} long-polls for one answer`);
    });

    test('denied ends with push_denied; a wrong number with push_number_mismatch', async () => {
      const { email, device } = await pushMember();
      failsWith((await signInAnswering(email, device, 'deny')).error, 'push_denied');
      const wrong = await signInAnswering(email, device, 'approve', (n) => (n === '00' ? '01' : '00'));
      failsWith(wrong.error, 'push_number_mismatch');
    });

    test('three denials suspend push: push_suspended; a report locks it: push_locked', async () => {
      const { email, device } = await pushMember();
      for (let i = 0; i < 3; i++) failsWith((await signInAnswering(email, device, 'deny')).error, 'push_denied');
      const suspended = await signInAnswering(email, device, 'deny');
      failsWith(suspended.error, 'push_suspended');
      assert.equal(suspended.shown.length, 0);

      const other = await pushMember();
      failsWith((await signInAnswering(other.email, other.device, 'deny_and_report')).error, 'push_locked');
      const locked = await signInAnswering(other.email, other.device, 'approve');
      failsWith(locked.error, 'push_locked');
    });
  });
}
