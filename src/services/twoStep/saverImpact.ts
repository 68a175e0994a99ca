/**
 * What saving Global Settings does to the master administrator saving them, said in the preview so
 * that ticking "Master administrators" never surprises them: whether they will have to set two-step
 * verification up, and whether the session they are saving from is then sent to set it up.
 */
import type { TwoStepSettings } from '../../core/model.ts';
import type { Actor } from '../context.ts';
import type { Db } from '../../storage/database.ts';
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
  const setUp = (await activeFactors(db, actor.id, policy.epoch)).length > 0;
  const resets = next.primaryMethod !== policy.twoStep.primaryMethod;
  const reset = resets && setUp;
  const mustSetUp = requiredAfter && (!setUp || resets);
  const session = await db.selectFrom('sessions').select('reauthenticated_at').where('id', '=', actor.sessionId).executeTakeFirst();
  const passwordOnly = session !== undefined && session.reauthenticated_at === null;
  return { saverAffected: reset || mustSetUp, saverMustSetUp: mustSetUp, saverSessionToSetUp: passwordOnly && requiredAfter };
}
