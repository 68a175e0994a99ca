/**
 * Who a change of the primary method resets, and telling them. The save itself stays one update of
 * the organization (a new epoch); the members it resets are read afterwards from the factors of the
 * epoch that ended, a page at a time in member-id order through `factors_org_epoch`.
 */
import type { MethodId } from '../../core/model.ts';
import { primaryMethodResetNotice } from '../../delivery/messages.ts';
import type { Db } from '../../storage/database.ts';
import { decodeCursor, encodeCursor, pageSize, type Page, type PageParams } from '../access/pagination.ts';
import type { FollowUpJob } from '../afterAnswer.ts';
import type { Context } from '../context.ts';
import { notifyMember } from '../notify.ts';

export interface ResetMember {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  /** Only to word the notice: not part of the preview's answer. */
  readonly language: string | null;
}

/** Enabled members with a confirmed factor in `epoch`, after member id `after`, in id order. */
export async function membersSetUpInEpoch(
  db: Db, organizationId: string, epoch: number, after: string | null, limit: number,
): Promise<ResetMember[]> {
  let query = db.selectFrom('factors').innerJoin('members', 'members.id', 'factors.member_id')
    .select(['members.id', 'members.name', 'members.email', 'members.language']).distinct()
    .where('factors.organization_id', '=', organizationId).where('factors.epoch', '=', epoch)
    .where('factors.active', '=', 1).where('members.enabled', '=', 1);
  if (after !== null) query = query.where('factors.member_id', '>', after);
  return query.orderBy('members.id').limit(limit).execute();
}

/** One page of the members a new epoch would reset, for the preview (opaque keyset cursor). */
export async function resetMembersPage(db: Db, organizationId: string, epoch: number, params: PageParams): Promise<Page<ResetMember>> {
  const size = pageSize(params.limit);
  const after = decodeCursor(params.cursor)?.id ?? null;
  const rows = await membersSetUpInEpoch(db, organizationId, epoch, after, size + 1);
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > size && last ? encodeCursor({ at: 0, id: last.id }) : null };
}

/** Members read per query while collecting, and notices sent per job. */
const READ_PAGE = 1000;
export const NOTICE_BATCH = 50;

export interface EpochResetNotice {
  readonly organizationId: string;
  readonly organizationName: string;
  /** The epoch that ended: its members had two-step verification set up. */
  readonly endedEpoch: number;
  readonly primaryMethod: MethodId;
  readonly changedBy: string;
  readonly at: Date;
}

/** The jobs done after the answer (stored names: never renamed). */
export const COLLECT_RESET_MEMBERS = 'epoch-reset-collect';
export const SEND_RESET_NOTICES = 'epoch-reset-notices';

/** A notice as a queued job holds it (JSON: the time as text). */
type StoredNotice = Omit<EpochResetNotice, 'at'> & { readonly at: string };

interface Recipient {
  readonly email: string;
  readonly language: string | null;
}

/**
 * Queues, after the answer, one notice to each member the change reset. A first job collects the
 * recipients at once: the ended epoch's factors are deleted by housekeeping and by each member's new
 * set-up, so reading them slowly alongside the sends would miss members. It ends by queuing the
 * notices in batches, each batch a job of its own, so one job never runs long and a node that stops
 * half-way sends again at most one batch.
 */
export async function queueEpochResetNotices(ctx: Context, notice: EpochResetNotice): Promise<void> {
  await ctx.afterAnswer.queue(COLLECT_RESET_MEMBERS, { ...notice, at: notice.at.toISOString() } satisfies StoredNotice);
}

export async function collectResetMembers(ctx: Context, notice: StoredNotice): Promise<FollowUpJob[]> {
  const recipients: Recipient[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await membersSetUpInEpoch(ctx.db, notice.organizationId, notice.endedEpoch, after, READ_PAGE);
    recipients.push(...page.map((m) => ({ email: m.email, language: m.language })));
    if (page.length < READ_PAGE) break;
    after = page[page.length - 1]!.id;
  }
  const batches: FollowUpJob[] = [];
  for (let from = 0; from < recipients.length; from += NOTICE_BATCH) {
    batches.push({ kind: SEND_RESET_NOTICES, payload: { notice, recipients: recipients.slice(from, from + NOTICE_BATCH) } });
  }
  return batches;
}

export async function sendResetNotices(ctx: Context, batch: { notice: StoredNotice; recipients: readonly Recipient[] }): Promise<void> {
  const { notice } = batch;
  for (const { email, language } of batch.recipients) {
    await notifyMember(ctx, primaryMethodResetNotice({
      to: email, language, organizationName: notice.organizationName, at: new Date(notice.at), changedBy: notice.changedBy, primaryMethod: notice.primaryMethod,
    }));
  }
}
