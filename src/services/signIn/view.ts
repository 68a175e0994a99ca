/** What a client sees of a transaction: the API contract's shape, computed from stored state. */
import type { ClientInfo, FactorSummary, MethodId, TransactionPurpose, TransactionState } from '../../core/model.ts';
import { firstSetupMethod, offeredFactors, setupMethods } from '../../core/offeredFactors.ts';
import { setupPlan } from '../../core/setupOrder.ts';
import { effectiveState } from '../../core/signInTransaction.ts';
import type { FactorRow, TransactionRow } from '../../storage/schema.ts';
import type { Context } from '../context.ts';
import type { IssuedSession } from '../sessions.ts';
import { activeFactors, isFactorLocked } from '../twoStep/memberTwoStep.ts';
import { recoveryCodesLeft } from '../twoStep/recoveryCodeStore.ts';
import type { OrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { loadOrganizationPolicy } from '../twoStep/organizationPolicy.ts';
import { clientOf, snapshotOf } from './transactionRecord.ts';
import { setupCodePending } from '../twoStep/setupCodes.ts';
import { proofView } from './setupProof.ts';
import { pendingIn } from '../../storage/factorStates.ts';

export interface FactorView extends FactorSummary {
  /** Locked by failed codes (visible so the member can pick another factor). */
  readonly locked: boolean;
  /** In set-up: confirmed with a code from it. */
  readonly confirmed?: boolean;
}

export interface TransactionView {
  readonly id: string;
  readonly purpose: TransactionPurpose;
  readonly state: TransactionState;
  readonly client: ClientInfo;
  readonly factors: FactorView[];
  readonly defaultFactorId: string | null;
  readonly setup?: {
    primaryMethod: MethodId | null; allowedMethods: MethodId[]; confirmed: boolean; setupCodeRequired: boolean;
    /** The order (core/setupOrder.ts): set up and confirm `required` in turn, then any of `optional`. */
    required: MethodId[]; optional: MethodId[]; next: MethodId | null;
    /** The member's methods were switched off: prove possession before binding (setupProof.ts). */
    proofRequired: boolean; proofFactors: FactorView[];
  };
  readonly expiresAt: string;
  readonly session?: { token: string; expiresAt: string };
  /** In `verify`: the member has unused recovery codes, so `…/recovery` can stand in for a factor. */
  readonly recoveryAvailable?: boolean;
  /** Only in the answer to Activate: the new recovery codes, shown this once (docs/security.md S10). */
  readonly recoveryCodes?: string[];
}

const summary = (f: FactorRow): FactorSummary => ({ id: f.id, type: f.type as MethodId, label: f.label });

/** The factors a verifying member may use in this transaction's client, in the order to offer them. */
export function offeredFor(row: TransactionRow, policy: OrganizationPolicy, factors: FactorRow[]): FactorRow[] {
  const byId = new Map(factors.map((f) => [f.id, f]));
  return offeredFactors(factors.map(summary), policy.twoStep, clientOf(row)).map((s) => byId.get(s.id)!);
}

/** What the caller has just read in the database transaction that wrote `row`, so it is not read again. */
export interface KnownState {
  readonly policy: OrganizationPolicy;
  readonly factors: FactorRow[];
  /** Whether the member holds an unused recovery code in the policy's epoch. */
  readonly recoveryAvailable?: boolean;
}

export async function viewTransaction(
  ctx: Context,
  id: string,
  row: TransactionRow,
  session?: IssuedSession,
  known?: KnownState,
): Promise<TransactionView> {
  const now = ctx.clock();
  const state = effectiveState(snapshotOf(row), now);
  const base = {
    id,
    purpose: row.purpose as TransactionPurpose,
    state,
    client: clientOf(row),
    expiresAt: new Date(row.expires_at).toISOString(),
    ...(session ? { session: { token: session.token, expiresAt: session.expiresAt.toISOString() } } : {}),
  };
  if (state === 'verify') {
    const policy = known?.policy ?? await loadOrganizationPolicy(ctx.db, row.organization_id);
    const active = known?.factors ?? await activeFactors(ctx.db, row.member_id, policy.epoch);
    const recoveryAvailable = known?.recoveryAvailable ?? (await recoveryCodesLeft(ctx.db, row.member_id, policy.epoch)).remaining > 0;
    const factors = offeredFor(row, policy, active).map((f) => ({ ...summary(f), locked: isFactorLocked(f, now) }));
    return {
      ...base, factors, defaultFactorId: factors.find((f) => !f.locked)?.id ?? factors[0]?.id ?? null, recoveryAvailable,
    };
  }
  if (state === 'setup') {
    const policy = known?.policy ?? await loadOrganizationPolicy(ctx.db, row.organization_id);
    const client = clientOf(row);
    const primaryMethod = firstSetupMethod(policy.twoStep, client);
    const pending = await ctx.db.selectFrom('factors').selectAll()
      .where(pendingIn(row.id)).orderBy('created_at').execute();
    const factors = pending.map((f) => ({ ...summary(f), locked: false, confirmed: f.confirmed_at !== null }));
    const { recoveryAvailable, ...proof } = await proofView(ctx.db, row, policy, now);
    return {
      ...base,
      ...(recoveryAvailable !== undefined ? { recoveryAvailable } : {}),
      factors,
      defaultFactorId: factors[0]?.id ?? null,
      setup: {
        primaryMethod,
        allowedMethods: setupMethods(policy.twoStep, client),
        confirmed: factors.some((f) => f.confirmed && f.type === primaryMethod),
        setupCodeRequired: await setupCodePending(ctx.db, row.member_id),
        ...setupPlan(policy.twoStep, client, factors.filter((f) => f.confirmed).map((f) => f.type)),
        ...proof,
      },
    };
  }
  return { ...base, factors: [], defaultFactorId: null };
}
