/** The messages in German. */
import type { MessageTexts } from './catalogue.ts';

const minutes = (n: number): string => `${n} ${n === 1 ? 'Minute' : 'Minuten'}`;
const purposes = { sign_in: 'zur Anmeldung', password_change: 'zum Ändern Ihres Passworts', setup: 'zum Einrichten der Bestätigung in zwei Schritten' } as const;

export const de: MessageTexts = {
  locale: 'de-DE',
  methodNames: { push: 'Benachrichtigung der Authenticator-App', totp: 'Authenticator-App', sms: 'SMS', email: 'E-Mail' },
  ifNotYou: 'Wenn Sie das nicht waren, informieren Sie sofort Ihren Administrator: Möglicherweise kennt jemand Ihr Passwort.',
  smsCode: ({ code, org, purpose, minutes: m }) =>
    `${code} ist Ihr ${org}-Code ${purposes[purpose]}. ${minutes(m)} gültig. Geben Sie ihn nie weiter.`,
  smsSubject: (org) => `${org}: Bestätigungscode`,
  emailCodeSubject: ({ org, purpose }) => `${org}: Ihr Code ${purposes[purpose]}`,
  emailCode: ({ org, purpose, minutes: m }) => ({
    before: `Ihr Code ${{ sign_in: `zur Anmeldung bei ${org}`, password_change: `zum Ändern Ihres ${org}-Passworts`, setup: `zum Einrichten der Bestätigung in zwei Schritten für ${org}` }[purpose]} lautet:`,
    after: [
      `Er läuft in ${minutes(m)} ab. Geben Sie ihn nie weiter; niemand von ${org} wird Sie danach fragen.`,
      'Wenn Sie diesen Code nicht angefordert haben, kennt möglicherweise jemand Ihr Passwort: Ändern Sie es und informieren Sie Ihren Administrator.',
    ],
  }),
  factorBound: ({ org, at, factor }) => ({
    subject: `${org}: Ihrem Konto wurde eine Bestätigungsmethode hinzugefügt`,
    lines: [`Am ${at} wurde „${factor}“ als Methode der Bestätigung in zwei Schritten zu Ihrem ${org}-Konto hinzugefügt.`],
  }),
  factorRemoved: ({ org, at, factor }) => ({
    subject: `${org}: Eine Bestätigungsmethode wurde aus Ihrem Konto entfernt`,
    lines: [`Am ${at} wurde „${factor}“ aus den Methoden der Bestätigung in zwei Schritten Ihres ${org}-Kontos entfernt.`],
  }),
  passwordChanged: ({ org, at, by }) => ({
    subject: `${org}: Ihr Passwort wurde geändert`,
    lines: [`Ihr ${org}-Passwort wurde am ${at}${by ? ` von ${by}` : ''} geändert.`],
  }),
  twoStepReset: ({ org, at, by }) => ({
    subject: `${org}: Ihre Bestätigung in zwei Schritten wurde zurückgesetzt`,
    lines: [
      `Am ${at} hat ${by} die Bestätigung in zwei Schritten Ihres ${org}-Kontos zurückgesetzt.`,
      'Bei Ihrer nächsten Anmeldung werden Sie gebeten, sie erneut einzurichten.',
      '',
      'Wenn Sie damit nicht gerechnet haben, informieren Sie Ihren Administrator, bevor sich jemand mit Ihrem Passwort anmeldet.',
    ],
  }),
  primaryMethodReset: ({ org, at, by, method }) => ({
    subject: `${org}: Ihre Bestätigung in zwei Schritten wurde zurückgesetzt`,
    lines: [
      `Am ${at} hat ${by} „${method}“ zur primären Methode der Bestätigung in zwei Schritten von ${org} gemacht; dadurch wird sie für alle zurückgesetzt.`,
      'Bei Ihrer nächsten Anmeldung werden Sie gebeten, sie erneut einzurichten, beginnend mit dieser Methode.',
      '',
      'Wenn Sie damit nicht gerechnet haben, informieren Sie Ihren Administrator, bevor sich jemand mit Ihrem Passwort anmeldet.',
    ],
  }),
  setupCodeIssued: ({ org, at, by }) => ({
    subject: `${org}: Für Ihr Konto wurde ein Einrichtungscode ausgestellt`,
    lines: [
      `Am ${at} hat ${by} einen einmaligen Einrichtungscode für Ihr ${org}-Konto ausgestellt.`,
      'Sie erhalten ihn von Ihrem Administrator und benötigen ihn, um die Bestätigung in zwei Schritten einzurichten.',
    ],
  }),
  recoveryCodesIssued: ({ org, at, count }) => ({
    subject: `${org}: Für Ihr Konto wurden neue Wiederherstellungscodes erstellt`,
    lines: [
      `Am ${at} wurden ${count} neue Wiederherstellungscodes für Ihr ${org}-Konto erstellt.`,
      'Ihre bisherigen Wiederherstellungscodes funktionieren nicht mehr.',
    ],
  }),
  recoveryCodeUsed: ({ org, at, remaining, purpose }) => ({
    subject: `${org}: Ein Wiederherstellungscode wurde verwendet`,
    lines: [
      `Am ${at} wurde ein Wiederherstellungscode verwendet, um ${purpose === 'sign_in' ? `sich bei Ihrem ${org}-Konto anzumelden` : `Ihr ${org}-Passwort zu ändern`}. Jeder Code funktioniert nur einmal.`,
      `${remaining === 1 ? 'Es bleibt 1 Wiederherstellungscode.' : `Es bleiben ${remaining} Wiederherstellungscodes.`}${remaining <= 3 ? ' Erstellen Sie nach der Anmeldung in Ihrem Konto neue.' : ''}`,
      '',
      'Wenn Sie das nicht waren, informieren Sie sofort Ihren Administrator: Jemand hat Ihr Passwort und Ihre Wiederherstellungscodes.',
    ],
  }),
  pushSuspended: ({ org, at, until }) => ({
    subject: `${org}: Benachrichtigungen der Authentifizierungs-App pausiert`,
    lines: [
      `Am ${at} wurden mehrere Anmeldeanfragen an Ihre Authentifizierungs-App abgelehnt oder nicht beantwortet. ${org} sendet Ihnen daher bis ${until} keine Benachrichtigungen. Ihre anderen Verifizierungsmethoden funktionieren weiterhin.`,
      '',
      'Wenn Sie sich nicht anmelden wollten, kennt vielleicht jemand Ihr Passwort: Ändern Sie es.',
    ],
  }),
  invitation: ({ org, expires }) => ({
    subject: `Sie sind zu ${org} eingeladen`,
    before: `Sie wurden zu ${org} eingeladen. Legen Sie hier Ihr Passwort fest:`,
    after: [`Der Link funktioniert einmal und läuft am ${expires} ab.`, 'Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail.'],
  }),
  passwordReset: ({ org, expires }) => ({
    subject: `${org}: Passwort zurücksetzen`,
    before: `Jemand hat angefordert, Ihr ${org}-Passwort zurückzusetzen. Wählen Sie hier ein neues:`,
    after: [
      `Der Link funktioniert einmal und läuft am ${expires} ab. Wenn Sie die Bestätigung in zwei Schritten verwenden, bestätigen Sie auch damit.`,
      'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.',
    ],
  }),
};
