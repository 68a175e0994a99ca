/** The messages in Dutch. */
import type { MessageTexts } from './catalogue.ts';

const minutes = (n: number): string => `${n} ${n === 1 ? 'minuut' : 'minuten'}`;
const purposes = { sign_in: 'om u aan te melden', password_change: 'om uw wachtwoord te wijzigen', setup: 'om verificatie in twee stappen in te stellen' } as const;

export const nl: MessageTexts = {
  locale: 'nl-NL',
  methodNames: { push: 'melding van de authenticator-app', totp: 'authenticator-app', sms: 'sms', email: 'e-mail' },
  ifNotYou: 'Was u dit niet, laat het dan meteen uw beheerder weten: iemand kent misschien uw wachtwoord.',
  smsCode: ({ code, org, purpose, minutes: m }) =>
    `${code} is uw ${org}-code ${purposes[purpose]}. Hij verloopt over ${minutes(m)}. Deel hem nooit.`,
  smsSubject: (org) => `${org}: verificatiecode`,
  emailCodeSubject: ({ org, purpose }) => `${org}: uw code ${purposes[purpose]}`,
  emailCode: ({ org, purpose, minutes: m }) => ({
    before: `Uw code ${{ sign_in: `om u aan te melden bij ${org}`, password_change: `om uw ${org}-wachtwoord te wijzigen`, setup: `om verificatie in twee stappen in te stellen voor ${org}` }[purpose]} is:`,
    after: [
      `Hij verloopt over ${minutes(m)}. Deel hem nooit; niemand van ${org} zal erom vragen.`,
      'Hebt u deze code niet aangevraagd, dan kent iemand misschien uw wachtwoord: wijzig het en laat het uw beheerder weten.',
    ],
  }),
  factorBound: ({ org, at, factor }) => ({
    subject: `${org}: er is een verificatiemethode aan uw account toegevoegd`,
    lines: [`Op ${at} is „${factor}” als methode voor verificatie in twee stappen aan uw ${org}-account toegevoegd.`],
  }),
  factorRemoved: ({ org, at, factor }) => ({
    subject: `${org}: er is een verificatiemethode uit uw account verwijderd`,
    lines: [`Op ${at} is „${factor}” verwijderd uit de methoden voor verificatie in twee stappen van uw ${org}-account.`],
  }),
  passwordChanged: ({ org, at, by }) => ({
    subject: `${org}: uw wachtwoord is gewijzigd`,
    lines: [`Uw ${org}-wachtwoord is op ${at}${by ? ` door ${by}` : ''} gewijzigd.`],
  }),
  twoStepReset: ({ org, at, by }) => ({
    subject: `${org}: uw verificatie in twee stappen is opnieuw ingesteld`,
    lines: [
      `Op ${at} heeft ${by} de verificatie in twee stappen van uw ${org}-account opnieuw ingesteld.`,
      'De volgende keer dat u zich aanmeldt, wordt u gevraagd deze opnieuw in te stellen.',
      '',
      'Had u dit niet verwacht, laat het dan uw beheerder weten voordat iemand zich met uw wachtwoord aanmeldt.',
    ],
  }),
  primaryMethodReset: ({ org, at, by, method }) => ({
    subject: `${org}: uw verificatie in twee stappen is opnieuw ingesteld`,
    lines: [
      `Op ${at} heeft ${by} „${method}” de primaire methode voor verificatie in twee stappen van ${org} gemaakt, waardoor deze voor iedereen opnieuw wordt ingesteld.`,
      'De volgende keer dat u zich aanmeldt, wordt u gevraagd deze opnieuw in te stellen, te beginnen met die methode.',
      '',
      'Had u dit niet verwacht, laat het dan uw beheerder weten voordat iemand zich met uw wachtwoord aanmeldt.',
    ],
  }),
  setupCodeIssued: ({ org, at, by }) => ({
    subject: `${org}: er is een instelcode voor uw account uitgegeven`,
    lines: [
      `Op ${at} heeft ${by} een eenmalige instelcode voor uw ${org}-account uitgegeven.`,
      'U hebt die, via uw beheerder, nodig om verificatie in twee stappen in te stellen.',
    ],
  }),
  recoveryCodesIssued: ({ org, at, count }) => ({
    subject: `${org}: er zijn nieuwe herstelcodes voor uw account gemaakt`,
    lines: [
      `Op ${at} zijn ${count} nieuwe herstelcodes voor uw ${org}-account gemaakt.`,
      'De herstelcodes die u eerder had, werken niet meer.',
    ],
  }),
  recoveryCodeUsed: ({ org, at, remaining, purpose }) => ({
    subject: `${org}: er is een herstelcode gebruikt`,
    lines: [
      `Op ${at} is een herstelcode gebruikt om ${purpose === 'sign_in' ? `u aan te melden bij uw ${org}-account` : `uw ${org}-wachtwoord te wijzigen`}. Elke code werkt één keer.`,
      `${remaining === 1 ? 'Er is nog 1 herstelcode over.' : `Er zijn nog ${remaining} herstelcodes over.`}${remaining <= 3 ? ' Maak een nieuwe reeks in uw account zodra u bent aangemeld.' : ''}`,
      '',
      'Was u dit niet, laat het dan meteen uw beheerder weten: iemand heeft uw wachtwoord en uw herstelcodes.',
    ],
  }),
  pushSuspended: ({ org, at, until }) => ({
    subject: `${org}: meldingen van de authenticator-app gepauzeerd`,
    lines: [
      `Op ${at} zijn meerdere aanmeldverzoeken aan uw authenticator-app geweigerd of niet beantwoord. ${org} stuurt u daarom tot ${until} geen meldingen. Uw andere verificatiemethoden werken nog steeds.`,
      '',
      'Als u niet probeerde aan te melden, kent iemand misschien uw wachtwoord: wijzig het.',
    ],
  }),
  invitation: ({ org, expires }) => ({
    subject: `U bent uitgenodigd voor ${org}`,
    before: `U bent uitgenodigd voor ${org}. Stel hier uw wachtwoord in:`,
    after: [`De link werkt één keer en verloopt op ${expires}.`, 'Had u deze uitnodiging niet verwacht, negeer deze e-mail dan.'],
  }),
  passwordReset: ({ org, expires }) => ({
    subject: `${org}: stel uw wachtwoord opnieuw in`,
    before: `Iemand heeft gevraagd uw ${org}-wachtwoord opnieuw in te stellen. Kies hier een nieuw wachtwoord:`,
    after: [
      `De link werkt één keer en verloopt op ${expires}. Gebruikt u verificatie in twee stappen, dan bevestigt u ook daarmee.`,
      'Hebt u dit niet gevraagd, negeer deze e-mail dan: uw wachtwoord blijft zoals het is.',
    ],
  }),
};
