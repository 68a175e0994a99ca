// What `npm test` does about programs npm cannot provide: nothing when the chosen tests do not need
// them, install them as root on Debian, otherwise stop with one line naming the command to run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planTools, type TestHost } from './tools.ts';

const OATH_TEST = 'test/twoStep/totp-oathtool.test.ts';
const BROWSER_TEST = 'test/web/sign-in.browser.test.ts';
const has = (...present: string[]) => (command: string) => present.includes(command);
const laptop: TestHost = { has: has(), canAptInstall: false };
const rootOnDebian: TestHost = { has: has(), canAptInstall: true };

test('tests that need no program need nothing, whatever is missing', () => {
  assert.deepEqual(planTools(['test/core/lockout.test.ts', 'test/support/postgres.test.ts'], laptop), { kind: 'ready' });
});

test('a program that is there is used as it is', () => {
  assert.deepEqual(planTools([OATH_TEST], { has: has('oathtool'), canAptInstall: true }), { kind: 'ready' });
});

test('without the right to install, a missing program stops the run with the command to run', () => {
  assert.deepEqual(planTools(['test/core/lockout.test.ts', OATH_TEST], laptop), {
    kind: 'stop',
    line: 'npm test needs oathtool: run  sudo apt-get install oathtool  (or  brew install oath-toolkit )',
  });
});

test('as root on Debian, a missing program is installed with apt-get', () => {
  const plan = planTools([OATH_TEST], rootOnDebian);
  assert.equal(plan.kind, 'install');
  assert.deepEqual(plan.kind === 'install' && plan.debianPackages, ['oathtool']);
});

test('Chromium is needed by the browser tests only (test/web/*.browser.test.ts)', () => {
  assert.deepEqual(planTools(['test/http/openapi.test.ts', 'test/web/translations.test.ts'], laptop), { kind: 'ready' });
  assert.deepEqual(planTools([BROWSER_TEST], { has: has('oathtool'), canAptInstall: false }), {
    kind: 'stop',
    line: 'npm test needs chromium: run  sudo apt-get install chromium  (or  brew install --cask chromium )',
  });
});

test('the browser tests also need oathtool, for the codes of an authenticator app', () => {
  assert.deepEqual(planTools([BROWSER_TEST], { has: has('chromium'), canAptInstall: false }), {
    kind: 'stop',
    line: 'npm test needs oathtool: run  sudo apt-get install oathtool  (or  brew install oath-toolkit )',
  });
});

test('several missing programs are named in one line', () => {
  assert.deepEqual(planTools([OATH_TEST, BROWSER_TEST], laptop), {
    kind: 'stop',
    line: 'npm test needs oathtool and chromium: run  sudo apt-get install oathtool chromium  (or  brew install oath-toolkit && brew install --cask chromium )',
  });
  assert.deepEqual(planTools([OATH_TEST, BROWSER_TEST], rootOnDebian), {
    kind: 'install',
    debianPackages: ['oathtool', 'chromium'],
    line: 'npm test needs oathtool and chromium: installing oathtool chromium with apt-get',
  });
});
