/**
 * What saving Global Settings does to the master administrator saving them, said in the preview so
 * that ticking "Master administrators" never surprises them: whether they will have to set two-step
 * verification up, and whether the session they are saving from is then sent to set it up.
 */
import type { TwoStepSettings } from '../../core/model.ts';
import type { Actor } from '../context.ts';
import type { Db } from '../../storage/database.ts';
import { hasUsableFactor } from '../../core/switchedOff.ts';
import { activeFactors, isTwoStepRequired } from './memberTwoStep.ts';
import type { OrganizationPolicy } from './organizationPolicy.ts';

export interface SaverImpact {
  /** The saver is among the members reset or newly asked to set two-step verification up. */
  readonly saverAffected: boolean;
  /** The saver will have to set two-step verification up (at once from this session, or at the next sign-in). */
  readonly saverMustSetUp: boolean;
  /**
   * This session passed the password alone and the saver will have to use two-step verification:
   * after saving it answers `two_step_setup_required` until they set it up.
   */
  readonly saverSessionToSetUp: boolean;
}

export async function saverImpact(db: Db, actor: Actor, policy: OrganizationPolicy, next: TwoStepSettings): Promise<SaverImpact> {
  const member = await db.selectFrom('members').select(['role', 'technician_group_id']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  const requiredAfter = await isTwoStepRequired(db, member, { ...policy, twoStep: next });
  const methods = (await activeFactors(db, actor.id, policy.epoch)).map((f) => f.type);
  const resets = next.primaryMethod !== policy.twoStep.primaryMethod;
  const reset = resets && methods.length > 0;
  // A factor counts only if its method is still allowed after the change: a saver whose factors are
  // all of methods being switched off must set up again, as the preview's counts say of others.
  const usableAfter = hasUsableFactor(methods, next.allowedMethods);
  const mustSetUp = requiredAfter && (!usableAfter || resets);
  const session = await db.selectFrom('sessions').select('reauthenticated_at').where('id', '=', actor.sessionId).executeTakeFirst();
  const passwordOnly = session !== undefined && session.reauthenticated_at === null;
  return { saverAffected: reset || mustSetUp, saverMustSetUp: mustSetUp, saverSessionToSetUp: passwordOnly && requiredAfter };
}
