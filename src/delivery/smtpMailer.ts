import { createTransport } from 'nodemailer';
import { TwofoldError } from '../core/errors.ts';
import type { Message, MessageSender } from './ports.ts';
import { redactUrl } from './redactUrl.ts';

export interface SmtpMailerConfig {
  /** `smtp://user:pass@host:port` or `smtps://…`; nodemailer reads further options from its query. */
  readonly url: string;
  /** The From header, e.g. `Twofold <no-reply@example.com>`. */
  readonly from: string;
}

/**
 * An email sender over SMTP (nodemailer). Messages are plain text: codes and notices need no
 * markup, and plain text cannot hide a link behind different words.
 */
export function createSmtpMailer(config: SmtpMailerConfig): MessageSender {
  const transport = createTransport({
    url: config.url,
    // nodemailer waits minutes by default; a sign-in request should fail in seconds instead.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    channel: 'email',
    description: `SMTP ${redactUrl(config.url)}`,
    async send(message: Message): Promise<void> {
      try {
        await transport.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
        });
      } catch (cause) {
        // nodemailer's messages carry the server's reply, never our credentials.
        const reason = cause instanceof Error ? cause.message : String(cause);
        throw new TwofoldError('delivery_failed', `Email could not be sent: ${reason}`, {}, { cause });
      }
    },
  };
}
