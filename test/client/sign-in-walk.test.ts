/**
 * The client package's sign-in walk against a real server over HTTP, on both databases: set-up and
 * verification with an authenticator app, text messages and email, the problems a person recovers
 * from (a wrong code with the attempts left, a refused phone number), the ones that end the walk with
 * the server's code, the console's kind and version sent every time, and a password change.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TwofoldProblem, changePassword, createTwofoldClient, signIn, technicianConsole,
  type CodeAnswer, type CodeRequest, type FactorAnswer, type FactorChoice, type SignInPrompts,
} from '../../packages/client/src/index.ts';
import { PASSWORD, call, createTestApp, engines, lastCode, type TestApp } from '../support/harness.ts';
import { newPhone, seedOf, totpNow, wrongTotp } from '../twoStep/_factors.ts';
import { addGroup, addMember, organizationWith, type SettingsBody } from '../twoStep/_fixtures.ts';

/** Prompts that answer from the test's script and record what they were asked. */
function scripted(answers: {
  code: (request: CodeRequest) => CodeAnswer;
  phone?: () => string;
  choose?: (choice: FactorChoice) => FactorAnswer;
}) {
  const asked: { codes: CodeRequest[]; choices: FactorChoice[]; secrets: string[]; recoveryCodes: string[][]; phones: number } = {
    codes: [], choices: [], secrets: [], recoveryCodes: [], phones: 0,
  };
  const prompts: SignInPrompts = {
    async chooseFactor(choice) {
      asked.choices.push(choice);
      if (!answers.choose) throw new Error('not expected to choose');
      return answers.choose(choice);
    },
    async askCode(request) {
      asked.codes.push(request);
      return answers.code(request);
    },
    async askPhoneNumber() {
      asked.phones += 1;
      return answers.phone?.() ?? newPhone();
    },
    showAuthenticatorSetup(setup) { asked.secrets.push(setup.secret); },
    showRecoveryCodes(codes) { asked.recoveryCodes.push([...codes]); },
  };
  return { prompts, asked };
}

const VERSION = '8.0.0';

for (const engine of engines()) {
  describe(`the client's sign-in walk on ${engine}`, () => {
    let t: TestApp;
    let baseUrl: string;
    before(async () => {
      t = await createTestApp({ engine });
      baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    });
    after(() => t.close());

    const api = (token?: string) => createTwofoldClient({ baseUrl, ...(token ? { token } : {}) });
    async function technician(changes: Partial<SettingsBody>) {
      const org = await organizationWith(t, { technicians: 'all', ...changes });
      return addMember(t, org, { technicianGroupId: await addGroup(t, org) });
    }
    const codeOf = (to: string): CodeAnswer => ({ kind: 'code', code: lastCode(t, to) });

    test('sets up an authenticator app (a wrong code first, with the attempts left), then verifies with it; the console and its version go with each sign-in', async () => {
      const member = await technician({});
      let seed: Buffer | undefined;
      const first = scripted({
        code: (request) => {
          seed ??= seedOf(`otpauth://totp/x?secret=${first.asked.secrets[0]}`);
          return { kind: 'code', code: request.problem ? totpNow(t, seed) : wrongTotp(t, seed) };
        },
      });
      const setUp = await signIn(api(), { email: member.email, password: PASSWORD, client: technicianConsole(VERSION), prompts: first.prompts });
      assert.ok(setUp.session?.token);
      assert.deepEqual(setUp.transaction.client, { kind: 'technician-console', version: VERSION });
      assert.equal(first.asked.codes.length, 2);
      assert.equal(first.asked.codes[0]!.purpose, 'confirm');
      assert.equal(first.asked.codes[1]!.problem?.code, 'invalid_code');
      assert.equal(first.asked.codes[1]!.problem?.problem.attemptsRemaining, 4);
      assert.equal(first.asked.recoveryCodes[0]?.length, 10);
      const me = await api(setUp.session.token).GET('/api/v1/me');
      assert.equal(me.data?.email, member.email);

      t.clock.advance(30_000);
      const again = scripted({ code: () => ({ kind: 'code', code: totpNow(t, seed!) }) });
      const verified = await signIn(api(), { email: member.email, password: PASSWORD, client: technicianConsole(VERSION), prompts: again.prompts });
      assert.ok(verified.session?.token);
      assert.equal(again.asked.codes[0]!.purpose, 'verify');
      assert.equal(again.asked.codes[0]!.factor.type, 'totp');
      assert.equal(verified.recoveryCodes, null);
    });

    test('sets up text messages (a refused phone number asked again), then signs in with a resent code', async () => {
      const member = await technician({ primaryMethod: 'sms', allowedMethods: ['sms'] });
      const phone = newPhone();
      let phones = 0;
      const first = scripted({ phone: () => (++phones === 1 ? '12' : phone), code: () => codeOf(phone) });
      const done = await signIn(api(), { email: member.email, password: PASSWORD, client: technicianConsole(VERSION), prompts: first.prompts });
      assert.ok(done.session?.token);
      assert.equal(first.asked.phones, 2);

      t.clock.advance(31_000);
      const sentBefore = t.outbox.length;
      let resent = false;
      const again = scripted({
        code: (request) => {
          if (!resent) {
            resent = true;
            assert.ok(request.canResend);
            assert.ok(request.sentUntil);
            return { kind: 'resend' };
          }
          return codeOf(phone);
        },
      });
      const verified = await signIn(api(), { email: member.email, password: PASSWORD, client: technicianConsole(VERSION), prompts: again.prompts });
      assert.ok(verified.session?.token);
      // The walk sent a code; a resend within 30 s is refused, and the prompt is told how long to wait.
      assert.equal(t.outbox.length, sentBefore + 1);
      assert.equal(again.asked.codes[1]?.problem?.code, 'rate_limited');
      assert.ok(Number(again.asked.codes[1]?.problem?.problem.retryAfterSeconds) > 0);
    });

    test('email: set up and verified with the codes sent; a Technician Console 7.50.3572 is refused with console_email_only', async () => {
      const member = await technician({ primaryMethod: 'email', allowedMethods: ['email'] });
      const first = scripted({ code: () => codeOf(member.email) });
      await signIn(api(), { email: member.email, password: PASSWORD, client: technicianConsole(VERSION), prompts: first.prompts });
      const again = scripted({ code: () => codeOf(member.email) });
      const verified = await signIn(api(), { email: member.email, password: PASSWORD, client: technicianConsole(VERSION), prompts: again.prompts });
      assert.ok(verified.session?.token);

      const legacy = scripted({ code: () => assert.fail('no code is asked') });
      await assert.rejects(
        signIn(api(), { email: member.email, password: PASSWORD, client: technicianConsole('7.50.3572'), prompts: legacy.prompts }),
        (error) => error instanceof TwofoldProblem && error.code === 'console_email_only' && error.status === 403,
      );
    });

    test('with a setup code from an administrator, Activate asks for it, again after a wrong one', async () => {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'email', allowedMethods: ['email'] });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const issued = await call(t, 'POST', `/api/v1/members/${member.id}/setup-code`, undefined, org.masterToken);
      assert.equal(issued.statusCode, 201, issued.body);
      const { setupCode } = issued.json() as { setupCode: string };
      const asked: Array<string | null> = [];
      const { prompts } = scripted({ code: () => codeOf(member.email) });
      const done = await signIn(api(), {
        email: member.email, password: PASSWORD, client: technicianConsole(VERSION),
        prompts: {
          ...prompts,
          async askSetupCode({ problem }) {
            asked.push(problem?.code ?? null);
            return asked.length === 1 ? 'zzzz-zzzz-zzzz-zzzz' : setupCode;
          },
        },
      });
      assert.ok(done.session?.token);
      assert.deepEqual(asked, [null, 'invalid_code']);
    });

    test('a wrong password and five wrong codes end the walk with the server\'s code', async () => {
      const member = await technician({});
      await assert.rejects(
        signIn(api(), { email: member.email, password: 'Wrong-Horse-1', client: technicianConsole(VERSION), prompts: scripted({ code: () => assert.fail() }).prompts }),
        (error) => error instanceof TwofoldProblem && error.code === 'invalid_credentials',
      );
      const wrong = scripted({ code: () => ({ kind: 'code', code: '000000' }) });
      await assert.rejects(
        signIn(api(), { email: member.email, password: PASSWORD, client: technicianConsole(VERSION), prompts: wrong.prompts }),
        (error) => error instanceof TwofoldProblem && error.code === 'transaction_failed',
      );
      assert.equal(wrong.asked.codes.length, 5);
      assert.deepEqual(wrong.asked.codes.slice(1).map((c) => c.problem?.problem.attemptsRemaining), [4, 3, 2, 1]);
    });

    test('verification offers another method and a recovery code; the password change is confirmed with a factor', async () => {
      const member = await technician({ primaryMethod: 'email', allowedMethods: ['email', 'sms'] });
      const phone = newPhone();
      const backupsOffered: Array<readonly string[]> = [];
      const first = scripted({ code: (request) => codeOf(request.factor.type === 'sms' ? phone : member.email), phone: () => phone });
      const prompts: SignInPrompts = {
        ...first.prompts,
        async chooseBackup({ methods }) {
          backupsOffered.push(methods);
          return 'sms';
        },
      };
      const done = await signIn(api(), { email: member.email, password: PASSWORD, client: technicianConsole(VERSION), prompts });
      // Asked once: with the text message confirmed, no backup is left to offer, and Activate follows.
      assert.deepEqual(backupsOffered, [['sms']]);
      const recoveryCode = done.recoveryCodes![0]!;

      // "Use another method", then the text message.
      t.clock.advance(31_000);
      let switched = false;
      const other = scripted({
        code: (request) => {
          if (!switched) {
            switched = true;
            assert.equal(request.factor.type, 'email');
            assert.ok(request.canChooseAnother);
            return { kind: 'another-method' };
          }
          return codeOf(phone);
        },
        choose: (choice) => ({ kind: 'factor', factorId: choice.factors.find((f) => f.type === 'sms')!.id }),
      });
      const viaSms = await signIn(api(), { email: member.email, password: PASSWORD, client: technicianConsole(VERSION), prompts: other.prompts });
      assert.ok(viaSms.session?.token);
      assert.equal(other.asked.choices[0]?.recoveryAvailable, true);

      const changed = await changePassword(api(viaSms.session.token), {
        currentPassword: PASSWORD, newPassword: 'Another-Horse-42',
        prompts: scripted({ code: () => ({ kind: 'another-method' }), choose: () => ({ kind: 'recovery-code', code: recoveryCode }) }).prompts,
      });
      assert.equal(changed?.purpose, 'password_change');
      assert.equal(changed?.state, 'complete');
      const withNew = await call(t, 'POST', '/api/v1/sign-in', { email: member.email, password: 'Another-Horse-42', client: technicianConsole(VERSION) });
      assert.equal(withNew.statusCode, 200);
    });
  });
}
