/**
 * The sign-in walk's questions, asked at a terminal: a method from a numbered list, a code (or `r`
 * for a new one, `m` for another method), a phone number, the authenticator app's QR code drawn with
 * text and its key, push's pairing link and QR code and the number to type, a backup, a setup code,
 * the recovery codes. Methods are named as people name them.
 */
import QRCode from 'qrcode';
import type { CodeRequest, MethodId, SignInPrompts, TransactionFactor } from './client.ts';
import { retryMessage } from './outcomes.ts';
import type { Terminal } from './terminal.ts';

const METHOD_NAMES: Record<MethodId, string> = {
  push: 'authenticator app notification',
  totp: 'authenticator app',
  sms: 'text message',
  email: 'email',
};

const describeFactor = (factor: Pick<TransactionFactor, 'type' | 'label'>): string =>
  factor.label && factor.label.toLowerCase() !== METHOD_NAMES[factor.type] ? `${METHOD_NAMES[factor.type]} (${factor.label})` : METHOD_NAMES[factor.type];

/** The key in groups of four, as authenticator apps show it, easier to type. */
const grouped = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');

/** A six-digit number in two groups of three, as it is read aloud and typed; two digits as they are. */
const readable = (number: string): string => number.length === 6 ? `${number.slice(0, 3)} ${number.slice(3)}` : number;

function introduction(request: CodeRequest): string {
  const { factor, purpose, sentUntil } = request;
  const name = describeFactor(factor);
  if (factor.type === 'totp') return purpose === 'confirm' ? 'Type the 6-digit code the authenticator app shows now.' : `Type the 6-digit code from your ${name}.`;
  if (factor.type === 'push') return `Type the code from your ${name}.`;
  const where = factor.type === 'sms' ? 'by text message' : 'by email';
  return sentUntil ? `A code was sent ${where}: ${factor.label}.` : `Codes for this method are sent ${where}: ${factor.label}.`;
}

export function terminalPrompts(terminal: Terminal): SignInPrompts {
  // The introduction is said once per factor and step, not again after each wrong code.
  const introduced = new Set<string>();
  return {
    async chooseFactor({ factors, suggested, recoveryAvailable, purpose, problem }) {
      if (problem) terminal.say(retryMessage(problem));
      terminal.say(purpose === 'proof'
        ? 'Your organization switched off your methods. Prove one of them before setting up another:'
        : 'Choose a method:');
      factors.forEach((factor, index) => terminal.say(`  ${index + 1}) ${describeFactor(factor)}${factor.locked ? ' — locked' : ''}`));
      if (recoveryAvailable) terminal.say('  r) a recovery code');
      const fallback = suggested ? factors.indexOf(suggested) + 1 : 1;
      for (;;) {
        const answer = (await terminal.line(`Method [${fallback}]: `)).toLowerCase() || String(fallback);
        if (answer === 'r' && recoveryAvailable) {
          const code = await terminal.line('Recovery code: ');
          if (code) return { kind: 'recovery-code', code };
          continue;
        }
        const chosen = factors[Number(answer) - 1];
        if (/^\d+$/.test(answer) && chosen) return { kind: 'factor', factorId: chosen.id };
        terminal.say(`Type a number from 1 to ${factors.length}${recoveryAvailable ? ', or r' : ''}.`);
      }
    },

    async askCode(request) {
      const key = `${request.purpose}:${request.factor.id}`;
      if (!introduced.has(key)) {
        introduced.add(key);
        terminal.say(introduction(request));
      }
      if (request.problem) terminal.say(retryMessage(request.problem));
      const choices = [request.canResend ? 'r: send a new code' : '', request.canChooseAnother ? 'm: another method' : ''].filter(Boolean);
      for (;;) {
        const answer = await terminal.line(`Code${choices.length ? ` (${choices.join(', ')})` : ''}: `);
        if (request.canResend && answer.toLowerCase() === 'r') return { kind: 'resend' };
        if (request.canChooseAnother && answer.toLowerCase() === 'm') return { kind: 'another-method' };
        if (answer) return { kind: 'code', code: answer };
      }
    },

    async askPhoneNumber({ problem }) {
      if (problem) terminal.say(retryMessage(problem));
      else terminal.say('Set up text messages: codes will be sent to your phone.');
      for (;;) {
        const phone = await terminal.line('Phone number, in international format (e.g. +14155550123): ');
        if (phone) return phone;
      }
    },

    async showAuthenticatorSetup({ otpauthUri, secret }) {
      terminal.say('Set up your authenticator app: scan this QR code with it,');
      terminal.say(await QRCode.toString(otpauthUri, { type: 'terminal', small: true }));
      terminal.say(`or type this key into it: ${grouped(secret)}`);
    },

    async chooseBackup({ methods }) {
      terminal.say('Add a backup method, in case you lose this one?');
      methods.forEach((method, index) => terminal.say(`  ${index + 1}) ${METHOD_NAMES[method]}`));
      for (;;) {
        const answer = await terminal.line('Backup (Enter for none): ');
        if (!answer) return null;
        const chosen = methods[Number(answer) - 1];
        if (/^\d+$/.test(answer) && chosen) return chosen;
        terminal.say(`Type a number from 1 to ${methods.length}, or press Enter.`);
      }
    },

    async askSetupCode({ problem }) {
      if (problem) terminal.say(retryMessage(problem));
      for (;;) {
        const code = await terminal.line('Setup code from your administrator: ');
        if (code) return code;
      }
    },

    showRecoveryCodes(codes) {
      terminal.say('Two-step verification is on. Your recovery codes, shown only now (each works once; keep them somewhere safe):');
      for (const code of codes) terminal.say(`  ${code}`);
    },

    showPushNumber({ number, purpose }) {
      if (purpose === 'pairing') {
        terminal.say(`Your authenticator app is paired. Type ${readable(number)} in it to finish pairing. Waiting for your answer…`);
        return;
      }
      terminal.say(`A notification was sent to your authenticator app.`);
      terminal.say(`Type ${readable(number)} in your authenticator app to approve this sign-in. Waiting for your answer…`);
    },

    async showPushPairing({ pairingLink }) {
      terminal.say('Set up authenticator app notifications: scan this QR code with the device that will approve your sign-ins,');
      terminal.say(await QRCode.toString(pairingLink, { type: 'terminal', small: true }));
      terminal.say(`or open this link on it, or give it to \`twofold authenticator pair\`: ${pairingLink}`);
      terminal.say('The link works once, for ten minutes. Waiting for your authenticator app…');
    },
  };
}
