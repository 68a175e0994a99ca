/**
 * Browser tests of the website: a Twofold server listening on a free loopback port with a fresh
 * SQLite database and the real clock, the website built as `npm start` builds it, and Chromium driven
 * by playwright-core. Every page is watched for Content-Security-Policy violations, and axe-core
 * (injected from its npm file, never from a network) checks each page the tests visit.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildWeb } from '../../scripts/buildWeb.ts';
import { createTestApp, PASSWORD, type TestApp } from '../support/harness.ts';

const run = promisify(execFile);
/**
 * Where the screenshots and the measures go: into the docs with `TWOFOLD_UPDATE_DOCS=1` (`npm run
 * docs:screenshots`), else into `.test-output/` (ignored by git), so a test run leaves the checkout as
 * it found it.
 */
export const TEST_OUTPUT = fileURLToPath(new URL(process.env.TWOFOLD_UPDATE_DOCS === '1' ? '../../docs/' : '../../.test-output/', import.meta.url));
export const SCREENSHOTS = join(TEST_OUTPUT, 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface WebServer {
  readonly t: TestApp;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Builds the site if its sources changed, then serves it and the API on a free port. */
export async function startWebServer(): Promise<WebServer> {
  await buildWeb({ quiet: true });
  const t = await createTestApp({ engine: 'sqlite', realClock: true });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, baseUrl: address, close: () => t.close() };
}

/** Chromium from PATH (Debian's `chromium`); test/support/tools.ts makes sure it is there. */
function chromiumPath(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error('chromium is not on PATH');
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every CSP violation any page reported so far. */
  readonly violations: string[];
  close(): Promise<void>;
}

/** A fresh Chromium profile speaking `locale` (its navigator.languages and Accept-Language). */
export async function openBrowser(locale = 'en-US'): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'twofold-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    locale,
    viewport: { width: 1024, height: 800 },
    timezoneId: 'Europe/Paris',
  });
  const violations: string[] = [];
  await context.exposeBinding('__reportCspViolation', (_source, text: string) => { violations.push(text); });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      void (window as unknown as { __reportCspViolation: (text: string) => Promise<void> })
        .__reportCspViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(15_000);
  return {
    context, page, violations,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

interface AxeViolation { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }

/**
 * axe-core on the page as it is now: no serious or critical WCAG 2.1 A/AA violation. The library is
 * evaluated through the DevTools protocol, which the page's policy does not govern, so the check
 * needs no exception in the policy under test. `within` (a CSS selector) checks that part alone: an
 * open popover, while React Aria hides the rest of the page from assistive technology.
 */
export async function expectAccessible(page: Page, what: string, within?: string): Promise<void> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (selector) => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const context = selector === null ? document : { include: [[selector]] };
    const result = await axe.run(context, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target })) }));
  }, within ?? null);
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`), [], `axe on ${what}`);
}

/** Measures a test reports (not asserts), as JSON beside the screenshots. */
export function writeMeasures(name: string, measures: object): void {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  writeFileSync(join(TEST_OUTPUT, name), `${JSON.stringify(measures, null, 2)}\n`);
}

/** A screenshot for the docs, made as the test passes by. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The current TOTP code of a base32 secret, from oathtool (an implementation that is not Twofold's). */
export async function oathtoolCode(secret: string, offsetSeconds = 0): Promise<string> {
  const args = ['--totp', '--base32', secret];
  if (offsetSeconds !== 0) args.push('--now', new Date(Date.now() + offsetSeconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'));
  const { stdout } = await run('oathtool', args);
  return stdout.trim();
}

/** The code of one given 30-second step, for tests that use several codes in a row and must not
 * depend on whether a step boundary fell between them. */
export async function oathtoolCodeAtStep(secret: string, step: number): Promise<string> {
  const at = new Date(step * 30_000 + 1_000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const { stdout } = await run('oathtool', ['--totp', '--base32', secret, '--now', at]);
  return stdout.trim();
}

/** Signs in on the sign-in page as a person does: email, password, the button. */
export async function signInWithPassword(page: Page, baseUrl: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
