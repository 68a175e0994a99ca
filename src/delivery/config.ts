import { TwofoldError } from '../core/errors.ts';
import { createHttpSmsGateway, DEFAULT_SMS_BASE_URL } from './httpSmsGateway.ts';
import { createOutbox, outboxPath } from './outbox.ts';
import type { MessageSender } from './ports.ts';
import { createSmtpMailer } from './smtpMailer.ts';

/** The environment variables this module reads, documented in the README's configuration table. */
export type DeliveryEnv = Readonly<Record<string, string | undefined>>;

export const DEFAULT_SMTP_FROM = 'Twofold <no-reply@localhost>';

/** The senders the server runs with, and one start-up line per channel saying where messages go. */
export interface Delivery {
  readonly sms: MessageSender;
  readonly email: MessageSender;
  readonly notices: string[];
}

const SMS_VARIABLES = ['TWOFOLD_SMS_ACCOUNT_SID', 'TWOFOLD_SMS_AUTH_TOKEN', 'TWOFOLD_SMS_FROM'] as const;

/**
 * Chooses a sender per channel from the environment: SMTP when `TWOFOLD_SMTP_URL` is set, an HTTP
 * SMS gateway when `TWOFOLD_SMS_ACCOUNT_SID`, `TWOFOLD_SMS_AUTH_TOKEN` and `TWOFOLD_SMS_FROM` are,
 * and the outbox in `dataDir` for whatever is not configured.
 *
 * @throws TwofoldError `validation_failed` naming the variable, for a bad or half-done setting, so
 *   the server refuses to start rather than quietly writing codes to a file.
 */
export function deliveryFromEnv(env: DeliveryEnv, dataDir: string, clock: () => Date): Delivery {
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const outbox = createOutbox(dataDir, clock);
  const outboxNote = `messages are written to ${outboxPath(dataDir)}`;
  const notices: string[] = [];

  let email = outbox.email;
  const smtpUrl = value('TWOFOLD_SMTP_URL');
  if (smtpUrl) {
    checkSmtpUrl(smtpUrl);
    email = createSmtpMailer({ url: smtpUrl, from: value('TWOFOLD_SMTP_FROM') ?? DEFAULT_SMTP_FROM });
    notices.push(`Email: ${email.description}`);
  } else {
    notices.push(`Email: not configured (TWOFOLD_SMTP_URL); ${outboxNote}`);
  }

  let sms = outbox.sms;
  const [accountSid, authToken, from] = SMS_VARIABLES.map(value);
  const baseUrl = value('TWOFOLD_SMS_BASE_URL');
  if (accountSid && authToken && from) {
    if (baseUrl) checkHttpUrl('TWOFOLD_SMS_BASE_URL', baseUrl);
    sms = createHttpSmsGateway({ accountSid, authToken, from, baseUrl: baseUrl ?? DEFAULT_SMS_BASE_URL });
    notices.push(`SMS: ${sms.description}`);
  } else if (accountSid || authToken || from || baseUrl) {
    // Half a configuration is a mistake, not a wish for the outbox: say exactly what is missing.
    const missing = SMS_VARIABLES.filter((name) => !value(name));
    throw new TwofoldError(
      'validation_failed',
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: an SMS gateway needs ` +
        `${SMS_VARIABLES.join(', ')} together (or none of them, to use the outbox)`,
      { variable: missing[0] },
    );
  } else {
    notices.push(`SMS: not configured (${SMS_VARIABLES.join(', ')}); ${outboxNote}`);
  }

  return { sms, email, notices };
}

// The messages below name the variable but never echo its value: it may hold a password.
function checkSmtpUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw invalid('TWOFOLD_SMTP_URL', 'is not a URL; expected smtp://user:password@host:port or smtps://…');
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') {
    throw invalid('TWOFOLD_SMTP_URL', 'must start with smtp:// or smtps://');
  }
}

function checkHttpUrl(variable: string, url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw invalid(variable, 'is not a URL; expected https://host[:port]');
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw invalid(variable, 'must start with https:// or http://');
  }
}

const invalid = (variable: string, problem: string): TwofoldError =>
  new TwofoldError('validation_failed', `${variable} ${problem}`, { variable });
