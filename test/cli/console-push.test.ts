/**
 * `twofold console` at a terminal against a real server, with an authenticator app notification
 * answered by the terminal authenticator (`twofold authenticator respond`, the number read from the
 * console's screen, as a person reads and types it): a Technician Console 7.50.3572 goes to push
 * first and signs in once it is approved; a current console goes to the primary method (the
 * authenticator app), push is chosen with `m`, and a denial ends with the console's message and exit
 * status; push set up from the console (the pairing link and its QR code, the first approval). Both
 * databases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXIT } from '../../src/cli/commands/console/outcomes.ts';
import { PASSWORD, call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { freePort } from '../nodes/_nodes.ts';
import { activate, bindTotp, confirm, secretOf, signInExpecting } from '../twoStep/_factors.ts';
import { addGroup, addMember, organizationWith } from '../twoStep/_fixtures.ts';
import { latestPush } from '../twoStep/_push.ts';
import { consoleInTerminal, oathtool, type ConsolePane } from './_terminal.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/twofold.js');

for (const engine of engines()) {
  describe(`twofold console with an authenticator app notification (${engine})`, () => {
    let t: TestApp;
    let server: string;
    let home: string;
    let keyFile: string;
    let email: string;
    const panes: ConsolePane[] = [];
    const env = (): NodeJS.ProcessEnv => ({ XDG_CONFIG_HOME: home, HOME: home, TWOFOLD_AUTHENTICATOR_KEY_FILE: keyFile });
    /** The terminal authenticator, as the member runs it. */
    const authenticator = (args: string[]) => run(process.execPath, [BIN, 'authenticator', ...args], { env: { ...process.env, ...env() }, timeout: 60_000 })
      .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
      .catch((error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));

    before(async () => {
      // The pairing link carries the public URL: the server's own address, so the authenticator reaches it.
      const port = await freePort();
      t = await createTestApp({ engine, realClock: true, publicUrl: `http://127.0.0.1:${port}` });
      server = await t.app.listen({ port, host: '127.0.0.1' });
      home = mkdtempSync(join(tmpdir(), 'twofold-console-push-'));
      keyFile = join(home, 'authenticator.json');

      // A technician whose primary method is the authenticator app, with push set up as a backup,
      // paired with the terminal authenticator and confirmed by its first approval.
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'totp', allowedMethods: ['push', 'totp', 'sms'] });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      email = member.email;
      const setup = await signInExpecting(t, email, 'setup', '8.0.0');
      const totp = await bindTotp(t, setup.id);
      assert.equal((await confirm(t, setup.id, totp.factorId, await oathtool(secretOf(totp.otpauthUri)))).statusCode, 200);
      const bound = await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors`, { type: 'push' });
      assert.equal(bound.statusCode, 201, bound.body);
      const { id: pushFactorId, pairingLink } = bound.json() as { id: string; pairingLink: string };
      const paired = await authenticator(['pair', pairingLink, '--name', 'Test laptop']);
      assert.equal(paired.code, 0, paired.stderr);
      const first = await latestPush(t, setup.id);
      assert.ok(first?.purpose === 'pairing');
      const approved = await authenticator(['respond', '--number', first.number, '--approve']);
      assert.equal(approved.code, 0, approved.stderr);
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${setup.id}/factors/${pushFactorId}/confirm`, { pushRequestId: first.id })).statusCode, 200);
      await activate(t, setup.id);
    });
    after(async () => {
      for (const pane of panes) await pane.close();
      await t.close();
      rmSync(home, { recursive: true, force: true });
    });
    const open = async (args: string[]) => {
      const pane = await consoleInTerminal([...args, '--server', server, '--email', email], env());
      panes.push(pane);
      return pane;
    };
    /** The number the console asks to type, as shown (digits, in groups for six). */
    const shownNumber = async (pane: ConsolePane) =>
      (await pane.waitFor(/Type (\d[\d ]*) in your authenticator app to approve this sign-in\. Waiting for your answer/))[1]!.replace(/ /g, '');

    test('Technician Console 7.50.3572: push first; approved in the authenticator, the console signs in', async () => {
      const legacy = await signInExpecting(t, email, 'verify', '7.50.3572');
      assert.deepEqual(legacy.factors.map((f) => f.type), ['push', 'totp'], 'push, then the authenticator app');

      const pane = await open(['sign-in', '--console-version', '7.50.3572']);
      await pane.waitFor(/Password: $/m);
      await pane.type(PASSWORD);
      const number = await shownNumber(pane);
      assert.match(number, /^\d{2}$/);
      assert.doesNotMatch(await pane.screen(), /Code/, 'no code is asked for: the console waits');
      const approved = await authenticator(['respond', '--number', number, '--approve']);
      assert.equal(approved.code, 0, approved.stderr);
      assert.match(approved.stdout, /Technician Console 7\.50\.3572/);
      await pane.waitFor(/Signed in to .* as /);
      assert.equal(await pane.exitCode(), EXIT.ok);
    });

    test('a current console: the authenticator app first, push chosen with m; denied, the console says so and exits with 11', async () => {
      const pane = await open(['sign-in']);
      await pane.waitFor(/Password: $/m);
      await pane.type(PASSWORD);
      await pane.waitFor(/Type the 6-digit code from your authenticator app/);
      await pane.waitFor(/Code \(m: another method\): $/m);
      await pane.type('m');
      const choice = (await pane.waitFor(/(\d)\) authenticator app notification/))[1]!;
      await pane.waitFor(/Method \[\d\]: $/m);
      await pane.type(choice);
      const number = await shownNumber(pane);
      const denied = await authenticator(['respond', '--deny']);
      assert.equal(denied.code, 0, denied.stderr);
      await pane.waitFor(/The sign-in was denied in your authenticator app\. \(push_denied\)/);
      assert.equal(await pane.exitCode(), EXIT.pushNotApproved);
      assert.equal(EXIT.pushNotApproved, 11);
      assert.match(number, /^\d{2}$/);
    });

    test('set-up from the console: the pairing link and its QR code, paired by the terminal authenticator, confirmed by its first approval', async () => {
      const org = await organizationWith(t, { technicians: 'all', primaryMethod: 'push', allowedMethods: ['push', 'totp'] });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const ownKey = join(home, 'set-up.json');
      const pane = await consoleInTerminal(['sign-in', '--server', server, '--email', member.email], env());
      panes.push(pane);
      await pane.waitFor(/Password: $/m);
      await pane.type(PASSWORD);
      const link = (await pane.waitFor(/`twofold authenticator pair`: (http:\/\/\S+#pair=[A-Za-z0-9_-]{43})\n/))[1]!;
      assert.match(await pane.screen(), /[█▀▄]{10}/, 'the QR code of the link is drawn in the terminal');
      await pane.waitFor(/Waiting for your authenticator app/);
      const paired = await authenticator(['pair', link, '--name', 'Second laptop', '--key-file', ownKey]);
      assert.equal(paired.code, 0, paired.stderr);
      const number = (await pane.waitFor(/Type (\d[\d ]*) in it to finish pairing\./))[1]!.replace(/ /g, '');
      const approved = await authenticator(['respond', '--number', number, '--approve', '--key-file', ownKey]);
      assert.equal(approved.code, 0, approved.stderr);
      await pane.waitFor(/Backup \(Enter for none\): $/m);
      await pane.type('');
      await pane.waitFor(/shown only now/);
      await pane.waitFor(/Signed in to .* as /);
      assert.equal(await pane.exitCode(), EXIT.ok);

      // The next sign-in goes to push with the device just paired.
      const later = await consoleInTerminal(['sign-in', '--server', server, '--email', member.email], env());
      panes.push(later);
      await later.waitFor(/Password: $/m);
      await later.type(PASSWORD);
      const next = await shownNumber(later);
      assert.equal((await authenticator(['respond', '--number', next, '--approve', '--key-file', ownKey])).code, 0);
      await later.waitFor(/Signed in to .* as /);
      assert.equal(await later.exitCode(), EXIT.ok);
    });
  });
}
