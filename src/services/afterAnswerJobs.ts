/**
 * The kinds of work done after the answer (afterAnswer.ts), each with the handler that does it. A
 * kind's name and its payload's shape are stored with each queued job: a node of the next version
 * must still read them, so a kind is never renamed, only added.
 */
import type { AfterAnswerHandler } from './afterAnswer.ts';
import { EMAIL_RESET_LINK, emailResetLink } from './password/passwordReset.ts';
import { COLLECT_RESET_MEMBERS, SEND_RESET_NOTICES, collectResetMembers, sendResetNotices } from './twoStep/epochReset.ts';

export const AFTER_ANSWER_JOBS: Readonly<Record<string, AfterAnswerHandler>> = {
  [EMAIL_RESET_LINK]: emailResetLink,
  [COLLECT_RESET_MEMBERS]: collectResetMembers,
  [SEND_RESET_NOTICES]: sendResetNotices,
};
