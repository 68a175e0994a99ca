/**
 * `twofold console` at a terminal against a real server, with codes sent by text message and email
 * (read from the server's outbox): set-up of text messages (a refused phone number asked again), a
 * password change confirmed with a resent code, email set up and used, and what a Technician Console
 * 7.50.3572 does: the authenticator app before text messages whatever the primary method, and an
 * email-only member refused with its own message and exit status.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwofoldClient, signIn, technicianConsole, type SignInPrompts } from '../../packages/client/src/index.ts';
import { PASSWORD, call, createTestApp, engines, lastCode, type TestApp } from '../support/harness.ts';
import { newPhone } from '../twoStep/_factors.ts';
import { addGroup, addMember, organizationWith, type SettingsBody } from '../twoStep/_fixtures.ts';
import { consoleInTerminal, oathtool, type ConsolePane } from './_terminal.ts';

for (const engine of engines()) {
  describe(`twofold console with text messages and email (${engine})`, () => {
    let t: TestApp;
    let server: string;
    let home: string;
    const panes: ConsolePane[] = [];
    before(async () => {
      t = await createTestApp({ engine, realClock: true });
      server = await t.app.listen({ port: 0, host: '127.0.0.1' });
      home = mkdtempSync(join(tmpdir(), 'twofold-console-'));
    });
    after(async () => {
      for (const pane of panes) await pane.close();
      await t.close();
      rmSync(home, { recursive: true, force: true });
    });
    const open = async (args: string[], configDir: string) => {
      const pane = await consoleInTerminal([...args, '--config-dir', join(home, configDir)], { HOME: home });
      panes.push(pane);
      return pane;
    };
    async function technician(changes: Partial<SettingsBody>) {
      const org = await organizationWith(t, { technicians: 'all', ...changes });
      return addMember(t, org, { technicianGroupId: await addGroup(t, org) });
    }
    /** Waits for the code prompt after `sent`, then types the code the outbox holds for `to`. */
    async function typeSentCode(pane: ConsolePane, to: string) {
      await pane.waitFor(/Code \([^)]*\): $/m);
      await pane.type(lastCode(t, to));
    }

    test('sets up text messages from the console, then changes the password with a resent code', async () => {
      const member = await technician({ primaryMethod: 'sms', allowedMethods: ['sms'] });
      const phone = newPhone();
      const setUp = await open(['sign-in', '--server', server, '--email', member.email], 'sms');
      await setUp.waitFor(/Password: $/m);
      await setUp.type(PASSWORD);
      await setUp.waitFor(/Phone number, in international format \(e\.g\. \+14155550123\): $/m);
      await setUp.type('12');
      await setUp.waitFor(/Enter the phone number in international format/);
      await setUp.type(phone);
      await setUp.waitFor(new RegExp(`A code was sent by text message: Text message to ···${phone.slice(-4)}\\.`));
      await typeSentCode(setUp, phone);
      await setUp.waitFor(/Signed in to /);
      assert.equal(await setUp.exitCode(), 0);

      const change = await open(['password'], 'sms');
      await change.waitFor(/Current password: $/m);
      await change.type(PASSWORD);
      await change.waitFor(/New password: $/m);
      await change.type('Another-Horse-42');
      await change.waitFor(/New password \(again\): $/m);
      await change.type('Another-Horse-42');
      await change.waitFor(/A code was sent by text message/);
      // Another method: the recovery codes the set-up gave.
      await change.waitFor(/Code \(r: send a new code, m: another method\): $/m);
      await change.type('r');
      await change.waitFor(/A new code cannot be sent yet\. Try again in \d+ seconds\./);
      await typeSentCode(change, phone);
      await change.waitFor(/Your password is changed\./);
      assert.equal(await change.exitCode(), 0);
      const withNew = await call(t, 'POST', '/api/v1/sign-in', { email: member.email, password: 'Another-Horse-42', client: technicianConsole('8.0.0') });
      assert.equal(withNew.statusCode, 200, withNew.body);
    });

    test('email: set up and signed in with the codes sent; a Technician Console 7.50.3572 refuses the email-only member', async () => {
      const member = await technician({ primaryMethod: 'email', allowedMethods: ['email'] });
      const setUp = await open(['sign-in', '--server', server, '--email', member.email], 'email');
      await setUp.waitFor(/Password: $/m);
      await setUp.type(PASSWORD);
      await setUp.waitFor(/A code was sent by email: Email to /);
      await typeSentCode(setUp, member.email);
      await setUp.waitFor(/Signed in to /);
      assert.equal(await setUp.exitCode(), 0);

      const again = await open(['sign-in', '--server', server, '--email', member.email], 'email');
      await again.waitFor(/Password: $/m);
      await again.type(PASSWORD);
      await again.waitFor(/A code was sent by email/);
      await typeSentCode(again, member.email);
      await again.waitFor(/Signed in to /);
      assert.equal(await again.exitCode(), 0);

      const legacy = await open(['sign-in', '--server', server, '--email', member.email, '--console-version', '7.50.3572'], 'legacy');
      await legacy.waitFor(/Password: $/m);
      await legacy.type(PASSWORD);
      await legacy.waitFor(/This Technician Console version cannot use email verification.*\(console_email_only\)/);
      assert.equal(await legacy.exitCode(), 8);
    });

    test('a console 7.50.3572 offers the authenticator app before text messages, whatever the primary method', async () => {
      const member = await technician({ primaryMethod: 'sms', allowedMethods: ['sms', 'totp'] });
      const phone = newPhone();
      let secret = '';
      // The member's text message (primary) and authenticator app, set up through the client package.
      const prompts: SignInPrompts = {
        chooseFactor: () => Promise.reject(new Error('not asked')),
        askCode: async (request) => ({ kind: 'code', code: request.factor.type === 'totp' ? await oathtool(secret) : lastCode(t, phone) }),
        askPhoneNumber: async () => phone,
        showAuthenticatorSetup: (setup) => { secret = setup.secret; },
        chooseBackup: async ({ methods }) => (secret || !methods.includes('totp') ? null : 'totp'),
      };
      await signIn(createTwofoldClient({ baseUrl: server }), { email: member.email, password: PASSWORD, client: technicianConsole('8.0.0'), prompts });
      assert.ok(secret);

      // The legacy console first: it sends no text message until one is chosen, and a second one
      // within 30 s would be refused.
      const legacy = await open(['sign-in', '--server', server, '--email', member.email, '--console-version', '7.50.3572'], 'order');
      await legacy.waitFor(/Password: $/m);
      await legacy.type(PASSWORD);
      await legacy.waitFor(/Type the 6-digit code from your authenticator app/);
      await legacy.waitFor(/Code \(m: another method\): $/m);
      await legacy.type('m');
      await legacy.waitFor(/Choose a method:\n\s+1\) authenticator app\n\s+2\) text message/);
      await legacy.waitFor(/Method \[1\]: $/m);
      await legacy.type('2');
      await typeSentCode(legacy, phone);
      await legacy.waitFor(/Signed in to /);
      assert.equal(await legacy.exitCode(), 0);

      const current = await open(['sign-in', '--server', server, '--email', member.email], 'order');
      await current.waitFor(/Password: $/m);
      await current.type(PASSWORD);
      await current.waitFor(/A code was sent by text message/);
      await current.waitFor(/Code \(r: send a new code, m: another method\): $/m);
      await current.type('m');
      await current.waitFor(/Choose a method:\n\s+1\) text message \(Text message to [^)]+\)\n\s+2\) authenticator app/);
      await current.close();
    });
  });
}
