/**
 * Seeds a benchmark organization: members with a TOTP factor each, the organization requiring two-step
 * verification of technicians. Rows are written directly (one password hash shared by all members) so
 * seeding costs seconds, not one argon2id hash per member.
 */
import { hashPassword } from '../src/crypto/passwords.ts';
import { newId } from '../src/crypto/tokens.ts';
import { generateTotpSeed } from '../src/methods/totp.ts';
import type { Context } from '../src/services/context.ts';
import type { Db } from '../src/storage/database.ts';
import { createOrganization } from '../src/services/organizations/createOrganization.ts';

export const BENCH_PASSWORD = 'Bench-Password-7';

export interface SeededMember {
  readonly id: string;
  readonly email: string;
  readonly factorId: string;
  readonly seed: Buffer;
}

export async function seedOrganization(ctx: Context, members: number): Promise<SeededMember[]> {
  const { organizationId } = await createOrganization(ctx, {
    organizationName: 'Bench Org', name: 'Bench Master', email: `master-${Date.now()}@bench.test`, password: BENCH_PASSWORD,
  });
  const groupId = newId();
  const now = Date.now();
  await ctx.db.insertInto('technician_groups').values({
    id: groupId, organization_id: organizationId, parent_id: null, name: 'Technicians', description: '', enforce_two_step: 1, created_at: now,
  }).execute();
  await ctx.db.updateTable('organizations').set({ tsv_technicians: 'all' }).where('id', '=', organizationId).execute();
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const seeded: SeededMember[] = [];
  for (let start = 0; start < members; start += 500) {
    const batch = Array.from({ length: Math.min(500, members - start) }, (_, i) => {
      const seed = generateTotpSeed();
      return { id: newId(), email: `tech-${start + i}-${now}@bench.test`, factorId: newId(), seed };
    });
    await ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('members').values(batch.map((m) => ({
        id: m.id, organization_id: organizationId, email: m.email, name: m.email, role: null, administrator_group_id: null,
        technician_group_id: groupId, enabled: 1, password_hash: passwordHash, password_changed_at: now, must_change_password: 0,
        created_at: now, last_sign_in_at: null,
      }))).execute();
      await insertTotpFactors(ctx, trx, organizationId, batch, now);
    });
    seeded.push(...batch);
  }
  return seeded;
}

/** Gives existing members (at most 500 at a time) an authenticator app each; returns their factors. */
export async function addTotpFactors(ctx: Context, organizationId: string, members: ReadonlyArray<{ id: string; email: string }>): Promise<SeededMember[]> {
  const seeded = members.map((m) => ({ id: m.id, email: m.email, factorId: newId(), seed: generateTotpSeed() }));
  for (let start = 0; start < seeded.length; start += 500) {
    await insertTotpFactors(ctx, ctx.db, organizationId, seeded.slice(start, start + 500), Date.now());
  }
  return seeded;
}

async function insertTotpFactors(ctx: Context, db: Db, organizationId: string, members: readonly SeededMember[], now: number): Promise<void> {
  const { two_step_epoch: epoch } = await db.selectFrom('organizations').select('two_step_epoch').where('id', '=', organizationId).executeTakeFirstOrThrow();
  await db.insertInto('factors').values(members.map((m) => ({
    id: m.factorId, organization_id: organizationId, member_id: m.id, type: 'totp', label: 'Authenticator app', epoch,
    active: 1, secret: ctx.secretBox.seal(m.seed, m.factorId), destination: null, last_step: null, failures: 0,
    locked_until: null, locked_until_reset: 0, setup_transaction_id: null, created_at: now, confirmed_at: now,
  }))).execute();
}
