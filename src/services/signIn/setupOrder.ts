/** The set-up's required order, read from what this set-up has confirmed so far (core/setupOrder.ts). */
import { TwofoldError } from '../../core/errors.ts';
import type { ClientInfo, MethodId } from '../../core/model.ts';
import type { MethodSettings } from '../../core/offeredFactors.ts';
import { setupBlockedBy, setupPlan, type SetupPlan } from '../../core/setupOrder.ts';
import { methodDisplayName } from '../../methods/names.ts';
import type { Db } from '../../storage/database.ts';
import { confirmedIn } from '../../storage/factorStates.ts';

/** The methods of the factors confirmed in set-up transaction `transactionId`. */
export async function confirmedSetupMethods(db: Db, transactionId: string): Promise<MethodId[]> {
  const rows = await db.selectFrom('factors').select('type')
    .where(confirmedIn(transactionId)).execute();
  return rows.map((r) => r.type as MethodId);
}

export async function setupPlanOf(db: Db, transactionId: string, settings: MethodSettings, client: ClientInfo): Promise<SetupPlan> {
  return setupPlan(settings, client, await confirmedSetupMethods(db, transactionId));
}

/** @throws TwofoldError `setup_out_of_order` when a required method must be confirmed before `method`. */
export function assertSetupInOrder(plan: SetupPlan, method: MethodId): void {
  const next = setupBlockedBy(plan, method);
  if (next === null) return;
  throw new TwofoldError('setup_out_of_order',
    `Set up and confirm the ${methodDisplayName(next)} first; the ${methodDisplayName(method)} can be added after it.`,
    { next, required: plan.required });
}
