/**
 * Security notices to a member by email (docs/security.md S25–S29). Sent after the change is committed and
 * best effort: a mail server that is down must not undo a sign-in or a reset, so failures are logged.
 */
import type { Message } from '../delivery/ports.ts';
import type { Context } from './context.ts';

export async function notifyMember(ctx: Context, message: Message): Promise<void> {
  try {
    await ctx.senders.email.send(message);
  } catch (error) {
    ctx.log.warn({ subject: message.subject, err: error instanceof Error ? error.message : String(error) }, 'a security notice could not be sent');
  }
}
