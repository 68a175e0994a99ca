/**
 * After the password: decide whether the member goes straight through, verifies a factor, or sets
 * two-step verification up, and open the transaction. Sign-in and password change share this, so
 * both apply the same rule on every client (docs/product-behaviour.md "Beyond the reference product": the same enforcement on every way in).
 */
import { isLegacyConsole } from '../../core/consoleVersion.ts';
import { TwofoldError } from '../../core/errors.ts';
import type { ClientInfo, TransactionPurpose } from '../../core/model.ts';
import { mustUseTwoStep } from '../../core/mustUseTwoStep.ts';
import { firstSetupMethod } from '../../core/offeredFactors.ts';
import { initialState } from '../../core/signInTransaction.ts';
import type { Db } from '../../storage/database.ts';
import { factorFromColumns, PREFIXED_FACTOR_COLUMNS } from '../../storage/factorColumns.ts';
import { activeInOrganizationEpoch } from '../../storage/factorStates.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { MemberRow } from '../../storage/schema.ts';
import { lockMember } from '../access/rowLocks.ts';
import type { Context } from '../context.ts';
import { notifyMember } from '../notify.ts';
import { rolesOf } from '../twoStep/memberTwoStep.ts';
import { policyFromRow } from '../twoStep/organizationPolicy.ts';
import { completeTransaction } from './complete.ts';
import { setupProofFor } from './setupProof.ts';
import { insertTransaction } from './transactionRecord.ts';
import { offeredFor, viewTransaction, type TransactionView } from './view.ts';

export interface BeginRequest {
  readonly member: MemberRow;
  readonly purpose: TransactionPurpose;
  readonly client: ClientInfo;
  readonly ip: string | null;
  readonly newPasswordHash?: string;
  readonly endOtherSessions?: boolean;
  readonly originSessionId?: string;
  /** A sign-in that accepts this invitation, setting `newPasswordHash` as the member's password. */
  readonly invitationId?: string;
  /** A password change that completes this reset link (its token's SHA-256), spending it. */
  readonly passwordResetHash?: string;
  /** Thrown, and nothing opened, when the member would have to set two-step verification up. */
  readonly refuseSetup?: TwofoldError;
  /**
   * The caller's own writes, committed with the opening (the right password's attempt settled): run
   * last, once the member's row is held.
   */
  readonly alsoCommit?: (trx: Db) => Promise<void>;
}

export interface BeginResult {
  readonly view: TransactionView;
  /** The website's browser-binding secret, for its cookie. */
  readonly binding: string | null;
}

const CONSOLE_EMAIL_ONLY =
  'This version of the Technician Console cannot use email verification. Use another verification method, or update the Technician Console.';

export async function beginTransaction(ctx: Context, request: BeginRequest): Promise<BeginResult> {
  // Reads and writes share one database transaction: one consistent view, one commit.
  const { created, completion, known } = await ctx.db.transaction().execute(async (trx) => {
    const opened = await open(ctx, trx, request);
    await request.alsoCommit?.(trx);
    return opened;
  });
  for (const notice of completion?.notices ?? []) await notifyMember(ctx, notice);
  return { view: await viewTransaction(ctx, created.id, created.row, completion?.session, known), binding: created.binding };
}

/**
 * What opening a transaction decides by, in one query: the member's organization (its policy), whether
 * their technician group enforces two-step verification, their factors that count now (a row each,
 * oldest first; one row of nulls when none), and whether they hold an unused recovery code (for the
 * answer). No row: the member was deleted after the password was checked.
 */
const openingState = prepareQuery((db, p: { memberId: string }) => db.selectFrom('members')
  .innerJoin('organizations', 'organizations.id', 'members.organization_id')
  .leftJoin('technician_groups', 'technician_groups.id', 'members.technician_group_id')
  .leftJoin('factors', activeInOrganizationEpoch)
  .selectAll('organizations')
  .select('technician_groups.enforce_two_step as group_enforces')
  .select((eb) => eb.exists(eb.selectFrom('recovery_codes').select('recovery_codes.id')
    .whereRef('recovery_codes.member_id', '=', 'members.id').whereRef('recovery_codes.epoch', '=', 'organizations.two_step_epoch')
    .where('recovery_codes.used_at', 'is', null)).as('recovery_available'))
  .select(PREFIXED_FACTOR_COLUMNS)
  .where('members.id', '=', p.memberId)
  .orderBy('factors.created_at').orderBy('factors.id'));

async function open(ctx: Context, trx: Db, request: BeginRequest) {
  const { member, client } = request;
  // The member's row before their factors are read: a set-up activating meanwhile has then committed,
  // so this one verifies with its factors instead of opening a set-up that Activate did not end. One
  // that sets a password may complete right here and end the member's others: it holds the row
  // before its insert takes a share of it (access/rowLocks.ts), or two could deadlock. Every one
  // holds it, and finds the member still there: deleted since the password was checked, they are
  // refused like an unknown member, and a delete waiting behind this one removes what it opens.
  await lockMember(trx, ctx.store.engine, member.id);
  const rows = (await openingState.execute(trx, { memberId: member.id })).rows;
  const first = rows[0];
  if (!first) throw new TwofoldError('invalid_credentials', 'The email or password is not correct.');
  const policy = policyFromRow(first);
  const required = mustUseTwoStep(rolesOf(member), policy.twoStep, first.group_enforces === 1);
  const factors = required ? rows.flatMap((row) => factorFromColumns(row) ?? []) : [];
  const recoveryAvailable = Boolean(first.recovery_available);
  let state = initialState(required, factors.length > 0);

  if (state === 'verify') {
    const stub = { client_kind: client.kind, client_version: client.version ?? null } as Parameters<typeof offeredFor>[0];
    if (offeredFor(stub, policy, factors).length === 0) {
      // Technician Console 7.50.3572 and earlier cannot use email (docs/product-behaviour.md "Technician Console versions"): refuse clearly
      // rather than fall through to set-up, which would let the password alone bind a new factor.
      if (isLegacyConsole(client) && factors.some((f) => f.type === 'email')) {
        throw new TwofoldError('console_email_only', CONSOLE_EMAIL_ONLY);
      }
      // Every factor is of a method the organization has since switched off: set up an allowed one,
      // after a proof of possession (setupProof.ts), never with the password alone.
      state = 'setup';
    }
  }
  if (state === 'setup' && request.refuseSetup) throw request.refuseSetup;
  if (state === 'setup' && firstSetupMethod(policy.twoStep, client) === null) {
    throw new TwofoldError('console_email_only', CONSOLE_EMAIL_ONLY);
  }

  const now = ctx.clock();
  const created = await insertTransaction(trx, now, {
    memberId: member.id,
    organizationId: member.organization_id,
    purpose: request.purpose,
    state,
    client,
    epoch: policy.epoch,
    ip: request.ip,
    newPasswordHash: request.newPasswordHash ?? null,
    endOtherSessions: request.endOtherSessions ?? false,
    originSessionId: request.originSessionId ?? null,
    invitationId: request.invitationId ?? null,
    passwordResetHash: request.passwordResetHash ?? null,
    setupProof: setupProofFor(state, factors),
  });
  const completion = state === 'complete' ? await completeTransaction(ctx, trx, created.row, 'new') : null;
  return { created, completion, known: { policy, factors, recoveryAvailable } };
}
