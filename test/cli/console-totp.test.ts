/**
 * `twofold console` at a terminal against a real server, with an authenticator app (codes from
 * oathtool): the first set-up from the console (the QR code drawn, the key as text, a wrong code with
 * the attempts left, no backup, the recovery codes), the session file (0600), whoami, a later sign-in
 * with the app, a wrong password, and sign-out revoking the session on the server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PASSWORD, call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { requiredTechnician } from '../twoStep/_fixtures.ts';
import { consoleInTerminal, oathtool, type ConsolePane } from './_terminal.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/twofold.js');

for (const engine of engines()) {
  describe(`twofold console with an authenticator app (${engine})`, () => {
    let t: TestApp;
    let server: string;
    let home: string;
    let env: NodeJS.ProcessEnv;
    const panes: ConsolePane[] = [];
    before(async () => {
      t = await createTestApp({ engine, realClock: true });
      server = await t.app.listen({ port: 0, host: '127.0.0.1' });
      home = mkdtempSync(join(tmpdir(), 'twofold-console-'));
      env = { XDG_CONFIG_HOME: home, HOME: home };
    });
    after(async () => {
      for (const pane of panes) await pane.close();
      await t.close();
      rmSync(home, { recursive: true, force: true });
    });
    const open = async (args: string[]) => {
      const pane = await consoleInTerminal(args, env);
      panes.push(pane);
      return pane;
    };
    const twofold = (args: string[]) => run(process.execPath, [BIN, 'console', ...args], { env: { ...process.env, ...env } })
      .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
      .catch((error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));

    test('sets up the authenticator app at the first sign-in, signs in with it later, and signs out', async () => {
      const { member } = await requiredTechnician(t);
      const setUp = await open(['sign-in', '--server', server, '--email', member.email]);
      await setUp.waitFor(/Password: $/m);
      await setUp.type(PASSWORD);
      const key = (await setUp.waitFor(/type this key into it: ([A-Z2-7 ]+)\n/))[1]!.replace(/ /g, '');
      const screen = await setUp.screen();
      assert.match(screen, /scan this QR code/);
      assert.match(screen, /[█▀▄]{10}/, 'the QR code is drawn in the terminal');
      await setUp.waitFor(/Code: $/m);
      const right = await oathtool(key);
      await setUp.type(right === '000000' ? '111111' : '000000');
      await setUp.waitFor(/That code is not correct\. 4 attempts left\./);
      await setUp.type(await oathtool(key));
      await setUp.waitFor(/Backup \(Enter for none\): $/m);
      await setUp.type('');
      const recovery = (await setUp.waitFor(/shown only now[^\n]*\n\s+(\S+)/))[1]!;
      assert.match(recovery, /^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
      await setUp.waitFor(/Signed in to .* as /);
      assert.equal(await setUp.exitCode(), 0);

      const file = join(home, 'twofold', 'console-session.json');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { token: string; server: string; consoleVersion: string };
      assert.equal(saved.server, server);
      assert.equal(saved.consoleVersion, '8.0.0');

      const whoami = await twofold(['whoami']);
      assert.equal(whoami.code, 0, whoami.stderr);
      assert.match(whoami.stdout, new RegExp(`<${member.email}>`));
      assert.match(whoami.stdout, /Two-step verification: required, set up/);

      // Later: the app's code. The set-up used this time step's code, so the next step's (accepted ±1).
      const later = await open(['sign-in', '--server', server, '--email', member.email]);
      await later.waitFor(/Password: $/m);
      await later.type(PASSWORD);
      await later.waitFor(/Type the 6-digit code from your authenticator app/);
      await later.waitFor(/Code \(m: another method\): $/m);
      await later.type(await oathtool(key, new Date(Date.now() + 30_000)));
      await later.waitFor(/Signed in to /);
      assert.equal(await later.exitCode(), 0);
      const token = (JSON.parse(readFileSync(file, 'utf8')) as { token: string }).token;
      assert.notEqual(token, saved.token);

      const signedOut = await twofold(['sign-out']);
      assert.equal(signedOut.code, 0, signedOut.stderr);
      assert.equal(existsSync(file), false);
      assert.equal((await call(t, 'GET', '/api/v1/me', undefined, token)).statusCode, 401, 'the session is revoked on the server');
      const after = await twofold(['whoami']);
      assert.equal(after.code, 3);
      assert.match(after.stderr, /not signed in/);
    });

    test('a wrong password ends with its message and exit status 4; an unreachable server with 69', async () => {
      const { member } = await requiredTechnician(t);
      const wrong = await open(['sign-in', '--server', server, '--email', member.email]);
      await wrong.waitFor(/Password: $/m);
      await wrong.type('Not-The-Password-1');
      await wrong.waitFor(/The email or password is not correct\. \(invalid_credentials\)/);
      assert.equal(await wrong.exitCode(), 4);

      const nowhere = await open(['sign-in', '--server', 'http://127.0.0.1:9', '--email', member.email]);
      await nowhere.waitFor(/Password: $/m);
      await nowhere.type(PASSWORD);
      await nowhere.waitFor(/Cannot reach the Twofold server at http:\/\/127\.0\.0\.1:9\. \(network\)/);
      assert.equal(await nowhere.exitCode(), 69);
    });
  });
}
