/** The messages in Italian. */
import type { MessageTexts } from './catalogue.ts';

const minutes = (n: number): string => `${n} ${n === 1 ? 'minuto' : 'minuti'}`;
const purposes = { sign_in: 'per accedere', password_change: 'per cambiare la password', setup: 'per configurare la verifica in due passaggi' } as const;

export const it: MessageTexts = {
  locale: 'it-IT',
  methodNames: { push: 'notifica dell’app di autenticazione', totp: 'app di autenticazione', sms: 'SMS', email: 'email' },
  ifNotYou: 'Se non sei stato tu, avvisa subito il tuo amministratore: qualcuno potrebbe avere la tua password.',
  smsCode: ({ code, org, purpose, minutes: m }) =>
    `${code} è il tuo codice ${org} ${purposes[purpose]}. Scade tra ${minutes(m)}. Non condividerlo mai.`,
  smsSubject: (org) => `${org}: codice di verifica`,
  emailCodeSubject: ({ org, purpose }) => `${org}: il tuo codice ${purposes[purpose]}`,
  emailCode: ({ org, purpose, minutes: m }) => ({
    before: `Il tuo codice ${{ sign_in: `per accedere a ${org}`, password_change: `per cambiare la password di ${org}`, setup: `per configurare la verifica in due passaggi per ${org}` }[purpose]} è:`,
    after: [
      `Scade tra ${minutes(m)}. Non condividerlo mai; nessuno di ${org} te lo chiederà.`,
      'Se non hai richiesto questo codice, qualcuno potrebbe conoscere la tua password: cambiala e avvisa il tuo amministratore.',
    ],
  }),
  factorBound: ({ org, at, factor }) => ({
    subject: `${org}: è stato aggiunto un metodo di verifica al tuo account`,
    lines: [`Il ${at}, «${factor}» è stato aggiunto come metodo di verifica in due passaggi al tuo account ${org}.`],
  }),
  factorRemoved: ({ org, at, factor }) => ({
    subject: `${org}: è stato rimosso un metodo di verifica dal tuo account`,
    lines: [`Il ${at}, «${factor}» è stato rimosso dai metodi di verifica in due passaggi del tuo account ${org}.`],
  }),
  passwordChanged: ({ org, at, by }) => ({
    subject: `${org}: la tua password è stata cambiata`,
    lines: [`La tua password di ${org} è stata cambiata${by ? ` da ${by}` : ''} il ${at}.`],
  }),
  twoStepReset: ({ org, at, by }) => ({
    subject: `${org}: la tua verifica in due passaggi è stata reimpostata`,
    lines: [
      `Il ${at}, ${by} ha reimpostato la verifica in due passaggi del tuo account ${org}.`,
      'Al prossimo accesso ti verrà chiesto di configurarla di nuovo.',
      '',
      'Se non te lo aspettavi, avvisa il tuo amministratore prima che qualcuno acceda con la tua password.',
    ],
  }),
  primaryMethodReset: ({ org, at, by, method }) => ({
    subject: `${org}: la tua verifica in due passaggi è stata reimpostata`,
    lines: [
      `Il ${at}, ${by} ha reso «${method}» il metodo principale di verifica in due passaggi di ${org}, il che la reimposta per tutti.`,
      'Al prossimo accesso ti verrà chiesto di configurarla di nuovo, a partire da questo metodo.',
      '',
      'Se non te lo aspettavi, avvisa il tuo amministratore prima che qualcuno acceda con la tua password.',
    ],
  }),
  setupCodeIssued: ({ org, at, by }) => ({
    subject: `${org}: è stato emesso un codice di configurazione per il tuo account`,
    lines: [
      `Il ${at}, ${by} ha emesso un codice di configurazione monouso per il tuo account ${org}.`,
      'Ti servirà, dal tuo amministratore, per configurare la verifica in due passaggi.',
    ],
  }),
  recoveryCodesIssued: ({ org, at, count }) => ({
    subject: `${org}: sono stati creati nuovi codici di recupero per il tuo account`,
    lines: [
      `Il ${at} sono stati creati ${count} nuovi codici di recupero per il tuo account ${org}.`,
      'I codici di recupero che avevi prima non funzionano più.',
    ],
  }),
  recoveryCodeUsed: ({ org, at, remaining, purpose }) => ({
    subject: `${org}: è stato usato un codice di recupero`,
    lines: [
      `Il ${at} è stato usato un codice di recupero per ${purpose === 'sign_in' ? `accedere al tuo account ${org}` : `cambiare la tua password di ${org}`}. Ogni codice funziona una sola volta.`,
      `${remaining === 1 ? 'Resta 1 codice di recupero.' : `Restano ${remaining} codici di recupero.`}${remaining <= 3 ? ' Creane una nuova serie dal tuo account dopo aver effettuato l’accesso.' : ''}`,
      '',
      'Se non sei stato tu, avvisa subito il tuo amministratore: qualcuno ha la tua password e i tuoi codici di recupero.',
    ],
  }),
  pushSuspended: ({ org, at, until }) => ({
    subject: `${org}: notifiche dell'app di autenticazione sospese`,
    lines: [
      `Il ${at} diverse richieste di accesso alla tua app di autenticazione sono state rifiutate o sono rimaste senza risposta, quindi ${org} non ti invierà notifiche fino al ${until}. Gli altri metodi di verifica funzionano ancora.`,
      '',
      'Se non hai provato ad accedere, qualcuno potrebbe conoscere la tua password: cambiala.',
    ],
  }),
  invitation: ({ org, expires }) => ({
    subject: `Sei stato invitato in ${org}`,
    before: `Sei stato invitato in ${org}. Imposta qui la tua password:`,
    after: [`Il link funziona una sola volta e scade il ${expires}.`, 'Se non ti aspettavi questo invito, ignora questa email.'],
  }),
  passwordReset: ({ org, expires }) => ({
    subject: `${org}: reimposta la tua password`,
    before: `Qualcuno ha chiesto di reimpostare la tua password di ${org}. Scegline una nuova qui:`,
    after: [
      `Il link funziona una sola volta e scade il ${expires}. Se usi la verifica in due passaggi, confermerai anche con quella.`,
      'Se non l’hai chiesto tu, ignora questa email: la tua password resta invariata.',
    ],
  }),
};
