import { TwofoldError } from '../core/errors.ts';
import type { Message, MessageSender } from './ports.ts';
import { redactUrl } from './redactUrl.ts';

export interface HttpSmsGatewayConfig {
  /** The account id, the user name of HTTP Basic auth (Twilio: `AC…`). */
  readonly accountSid: string;
  /** The secret of HTTP Basic auth. Sent to the gateway only; never logged or put in an error. */
  readonly authToken: string;
  /** The sender number in E.164 form, or a messaging service id (Twilio: `MG…`). */
  readonly from: string;
  /** Defaults to Twilio; point it at another gateway with the same REST shape, or a test double. */
  readonly baseUrl?: string;
  /** How long to wait for the gateway's answer; 10 s unless told otherwise. */
  readonly timeoutMs?: number;
}

export const DEFAULT_SMS_BASE_URL = 'https://api.twilio.com';

// A Twilio messaging service id: "MG" and 32 hex digits. Such a sender goes in
// `MessagingServiceSid`, which lets the service pick the number; anything else is a `From` number.
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/**
 * An SMS sender for an HTTP gateway in Twilio's REST API shape: one form-encoded POST to
 * `{baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json` per message, HTTP Basic auth.
 * See https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource.
 */
export function createHttpSmsGateway(config: HttpSmsGatewayConfig): MessageSender {
  const baseUrl = (config.baseUrl ?? DEFAULT_SMS_BASE_URL).replace(/\/+$/, '');
  const endpoint = `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  const timeoutMs = config.timeoutMs ?? 10_000;
  const senderField = MESSAGING_SERVICE_SID.test(config.from) ? 'MessagingServiceSid' : 'From';

  return {
    channel: 'sms',
    description: `SMS gateway ${redactUrl(baseUrl)} (account ${config.accountSid})`,
    async send(message: Message): Promise<void> {
      const form = new URLSearchParams({ To: message.to, [senderField]: config.from, Body: message.text });
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization, accept: 'application/json' },
          body: form,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        const reason =
          cause instanceof Error && cause.name === 'TimeoutError'
            ? `no answer within ${timeoutMs} ms`
            : cause instanceof Error
              ? cause.message
              : String(cause);
        throw new TwofoldError('delivery_failed', `SMS gateway unreachable: ${reason}`, {}, { cause });
      }
      if (response.ok) {
        // Drains the body so the connection can be reused.
        await response.arrayBuffer().catch(() => undefined);
        return;
      }
      throw await gatewayError(response);
    },
  };
}

/** Builds the error from a non-2xx answer: status plus the gateway's own `code` and `message`. */
async function gatewayError(response: Response): Promise<TwofoldError> {
  let gatewayCode: number | string | undefined;
  let gatewayMessage: string | undefined;
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null) {
      const { code, message } = body as Record<string, unknown>;
      if (typeof code === 'number' || typeof code === 'string') gatewayCode = code;
      if (typeof message === 'string') gatewayMessage = message;
    }
  } catch {
    // Not JSON (a proxy's error page, say): the status alone has to do.
  }
  const detail = [gatewayCode, gatewayMessage].filter((part) => part !== undefined).join(' ');
  return new TwofoldError(
    'delivery_failed',
    `SMS gateway answered ${response.status}${detail ? `: ${detail}` : ''}`,
    // Not `status`: a problem's own `status` field is the HTTP status Twofold answers with.
    { gatewayStatus: response.status, gatewayCode, gatewayMessage },
  );
}
