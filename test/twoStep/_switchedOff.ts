/**
 * A member whose only factor is a text message one: they set up an authenticator app (the primary
 * method) and text messages, then removed the app, as they may from a session (written to the store
 * here; removing is not what these suites check). Once the organization switches text messages off,
 * they must set up again.
 */
import assert from 'node:assert/strict';
import type { Organization, TestApp } from '../support/harness.ts';
import { activate, bindSentCode, bindTotp, confirm, newPhone, signInExpecting, totpNow } from './_factors.ts';
import { addMember, type MemberFixture, type MemberOptions } from './_fixtures.ts';

export interface SmsOnlyMember extends MemberFixture {
  readonly smsId: string;
  readonly phone: string;
  /** From the set-up's Activate. */
  readonly recoveryCodes: string[];
}

/** Needs an organization where the member must use two-step verification, with TOTP primary and SMS allowed. */
export async function smsOnlyMember(t: TestApp, org: Organization, options: MemberOptions): Promise<SmsOnlyMember> {
  return leaveOnlySms(t, await addMember(t, org, options));
}

/** The same for a member who exists already and must use two-step verification now (none set up yet). */
export async function leaveOnlySms(t: TestApp, member: MemberFixture): Promise<SmsOnlyMember> {
  const tx = await signInExpecting(t, member.email, 'setup');
  const app = await bindTotp(t, tx.id);
  assert.equal((await confirm(t, tx.id, app.factorId, totpNow(t, app.seed))).statusCode, 200);
  const phone = newPhone();
  const smsId = await bindSentCode(t, tx.id, 'sms', phone);
  const done = await activate(t, tx.id) as { recoveryCodes?: string[] };
  await t.ctx.db.deleteFrom('factors').where('id', '=', app.factorId).execute();
  t.clock.advance(31_000);
  return { ...member, smsId, phone, recoveryCodes: done.recoveryCodes ?? assert.fail('no recovery codes') };
}
