/**
 * Pairing an authenticator with a push factor being set up (docs/push-protocol.md "Pairing"): a
 * single-use link valid ten minutes, bound to the member, the set-up (transaction or session scope) and
 * the factor; the authenticator registers its ECDSA P-256 public key with it, which spends the link,
 * and is sent its first request at once: the factor is confirmed by that first signed approval, like
 * any new factor by its first right code.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { ClientInfo } from '../../core/model.ts';
import { hashToken, newToken } from '../../crypto/tokens.ts';
import { qrCodeSvg } from '../../methods/totp.ts';
import { importDeviceKey } from '../../methods/pushSignature.ts';
import type { Db } from '../../storage/database.ts';
import { beingSetUpIn } from '../../storage/factorStates.ts';
import { lockMemberIfPresent } from '../access/rowLocks.ts';
import type { Context } from '../context.ts';
import { pageLink } from '../pageLinks.ts';
import { startPushRequest } from './startPushRequest.ts';

export const PAIRING_TTL_MS = 10 * 60_000;

export interface PairingLink {
  readonly pairingLink: string;
  readonly qrCodeSvg: string;
  readonly expiresAt: Date;
}

/** A new pairing link for `factor` (being set up in `scope`); an earlier link of the factor stops working. */
export async function createPairingLink(
  ctx: Context, factor: { readonly id: string; readonly member_id: string }, scope: string,
): Promise<PairingLink> {
  const token = newToken();
  const now = ctx.clock().getTime();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('push_pairings').where('factor_id', '=', factor.id).execute();
    await trx.insertInto('push_pairings').values({
      token_hash: hashToken(token), factor_id: factor.id, member_id: factor.member_id, scope,
      created_at: now, expires_at: now + PAIRING_TTL_MS, used_at: null,
    }).execute();
  });
  // In the fragment: a browser never sends it to a server, so no log or Referer holds it.
  const pairingLink = pageLink(ctx, `/authenticator#pair=${token}`);
  return { pairingLink, qrCodeSvg: await qrCodeSvg(pairingLink), expiresAt: new Date(now + PAIRING_TTL_MS) };
}

export interface RegisterDevice {
  readonly pairingToken: string;
  readonly publicKey: string;
  readonly deviceName: string;
  readonly platform: string;
}

export interface RegisteredDevice {
  readonly deviceId: string;
  readonly organizationName: string;
  readonly memberName: string;
  readonly memberEmail: string;
  readonly serverOrigin: string;
}

const invalidPairing = () => new TwofoldError('invalid_pairing', 'This pairing link is not valid: it was used, is older than ten minutes, or was replaced. Start pairing again.');

export async function registerDevice(ctx: Context, request: RegisterDevice): Promise<RegisteredDevice> {
  // Refuses anything but a P-256 public key before the link is looked at.
  await importDeviceKey(request.publicKey);
  const now = ctx.clock().getTime();
  const tokenHash = hashToken(request.pairingToken);
  const paired = await ctx.db.transaction().execute(async (trx) => {
    const pairing = await trx.selectFrom('push_pairings').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    if (!pairing || pairing.used_at !== null || pairing.expires_at <= now) throw invalidPairing();
    if (!await lockMemberIfPresent(trx, ctx.store.engine, pairing.member_id)) throw invalidPairing();
    const factor = await trx.selectFrom('factors').select(['id', 'member_id', 'organization_id'])
      .where('id', '=', pairing.factor_id).where(beingSetUpIn(pairing.scope)).executeTakeFirst();
    if (!factor) throw invalidPairing();
    // Single use even under parallel registrations: one conditional update decides.
    const spent = await trx.updateTable('push_pairings').set({ used_at: now })
      .where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw invalidPairing();
    await trx.deleteFrom('push_devices').where('factor_id', '=', factor.id).execute();
    await trx.insertInto('push_devices').values({
      factor_id: factor.id, public_key: request.publicKey, device_name: request.deviceName, platform: request.platform, paired_at: now,
    }).execute();
    return { factor, scope: pairing.scope, client: await clientOfScope(trx, pairing.scope) };
  });
  const member = await ctx.db.selectFrom('members').innerJoin('organizations', 'organizations.id', 'members.organization_id')
    .select(['members.name', 'members.email', 'organizations.name as organization_name'])
    .where('members.id', '=', paired.factor.member_id).executeTakeFirstOrThrow();
  try {
    await startPushRequest(ctx, {
      factorId: paired.factor.id, memberId: paired.factor.member_id, organizationId: paired.factor.organization_id,
      scope: paired.scope, purpose: 'pairing', client: paired.client.info, ip: paired.client.ip,
    });
  } catch (error) {
    // Paired all the same: the set-up asks for a new confirmation once push may be sent again.
    if (!(error instanceof TwofoldError)) throw error;
  }
  return {
    deviceId: paired.factor.id, organizationName: member.organization_name, memberName: member.name, memberEmail: member.email,
    serverOrigin: new URL(pageLink(ctx, '/')).origin,
  };
}

/** The client and address of the set-up a pairing belongs to: its transaction, or its session. */
async function clientOfScope(db: Db, scope: string): Promise<{ info: ClientInfo; ip: string | null }> {
  const sessionId = scope.startsWith('session:') ? scope.slice('session:'.length) : null;
  const row = sessionId === null
    ? await db.selectFrom('transactions').select(['client_kind', 'client_version', 'ip']).where('id', '=', scope).executeTakeFirst()
    : await db.selectFrom('sessions').select(['client_kind', 'client_version', 'ip']).where('id', '=', sessionId).executeTakeFirst();
  if (!row) throw invalidPairing();
  return { info: { kind: row.client_kind as ClientInfo['kind'], version: row.client_version ?? undefined }, ip: row.ip };
}
