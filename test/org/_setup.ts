/** The organization suites' helpers, on top of the shared harness. */
import assert from 'node:assert/strict';
import { createTestApp, type Engine, type TestApp } from '../support/harness.ts';

export { engines, call, tokenFor, uniqueEmail, PASSWORD, newOrganization } from '../support/harness.ts';
export type { TestApp, Engine };

export const createOrgTestApp = (engine: Engine = 'sqlite'): Promise<TestApp> => createTestApp({ engine });

/** The invitation token in the latest invitation sent to `to`. */
export function invitationToken(t: TestApp, to: string): string {
  const message = [...t.outbox].reverse().find((m) => m.to === to && m.text.includes('/invitations/'));
  assert.ok(message, `no invitation was sent to ${to}`);
  return /\/invitations\/([A-Za-z0-9_-]+)/.exec(message.text)![1]!;
}
