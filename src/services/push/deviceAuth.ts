/**
 * Authenticates an authenticator's reads by its device key (docs/push-protocol.md "Device
 * authentication"): `Twofold-Device: <deviceId>.<timestamp>.<signature>`, a P-256 signature over the
 * method, the path, the device and a timestamp within a minute of the server's clock. The device is a
 * push factor of the member in any lifecycle state but retired (a device being paired reads its
 * confirmation request too); a removed factor's device is gone with it, and a reset retires it: the
 * authenticator then learns that the pairing no longer counts.
 */
import { webcrypto } from 'node:crypto';
import { TwofoldError } from '../../core/errors.ts';
import { factorState } from '../../core/factorLifecycle.ts';
import { deviceRequestMessage, importDeviceKey } from '../../methods/pushSignature.ts';
import type { Db } from '../../storage/database.ts';
import type { Context } from '../context.ts';

export const DEVICE_HEADER = 'twofold-device';
const MAX_SKEW_MS = 60_000;

const refused = () => new TwofoldError('push_signature_invalid', 'This request is not signed by a paired device.');

/** The device's public key while it is paired: its factor exists and is not retired by a reset. */
export async function pairedDevice(db: Db, deviceId: string): Promise<{ readonly public_key: string } | undefined> {
  const row = await db.selectFrom('push_devices')
    .innerJoin('factors', 'factors.id', 'push_devices.factor_id')
    .innerJoin('organizations', 'organizations.id', 'factors.organization_id')
    .select(['push_devices.public_key', 'factors.active', 'factors.confirmed_at', 'factors.epoch', 'organizations.two_step_epoch'])
    .where('push_devices.factor_id', '=', deviceId).executeTakeFirst();
  return row && factorState(row, row.two_step_epoch) !== 'retired' ? row : undefined;
}

/** The device (its factor id) that signed `header` for `method` and `path`, or `push_signature_invalid`. */
export async function authenticateDevice(ctx: Context, header: string | undefined, method: string, path: string): Promise<string> {
  const match = /^([0-9a-f-]{36})\.(\d{1,16})\.([A-Za-z0-9_-]{40,120})$/.exec(header ?? '');
  if (!match) throw refused();
  const [, deviceId, timestamp, signature] = match as unknown as [string, string, string, string];
  if (Math.abs(Number(timestamp) - ctx.clock().getTime()) > MAX_SKEW_MS) throw refused();
  const device = await pairedDevice(ctx.db, deviceId);
  if (!device) throw refused();
  const valid = await webcrypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' }, await importDeviceKey(device.public_key), Buffer.from(signature, 'base64url'),
    deviceRequestMessage(method, path, deviceId, timestamp),
  );
  if (!valid) throw refused();
  return deviceId;
}
