/** The messages in French. */
import type { MessageTexts } from './catalogue.ts';

const minutes = (n: number): string => `${n} minute${n < 2 ? '' : 's'}`;
const smsPurpose = { sign_in: 'de connexion', password_change: 'pour changer votre mot de passe', setup: 'pour configurer la vérification en deux étapes' } as const;

export const fr: MessageTexts = {
  locale: 'fr-FR',
  methodNames: { push: 'notification de l’application d’authentification', totp: 'application d’authentification', sms: 'SMS', email: 'e-mail' },
  ifNotYou: 'Si ce n’était pas vous, prévenez immédiatement votre administrateur : quelqu’un a peut-être votre mot de passe.',
  smsCode: ({ code, org, purpose, minutes: m }) =>
    `${code} est votre code ${org} ${smsPurpose[purpose]}. Valable ${minutes(m)}. Ne le partagez jamais.`,
  smsSubject: (org) => `${org} : code de vérification`,
  emailCodeSubject: ({ org, purpose }) => `${org} : votre code ${smsPurpose[purpose]}`,
  emailCode: ({ org, purpose, minutes: m }) => ({
    before: `Votre code ${{ sign_in: `pour vous connecter à ${org}`, password_change: `pour changer votre mot de passe ${org}`, setup: `pour configurer la vérification en deux étapes de ${org}` }[purpose]} est :`,
    after: [
      `Il expire dans ${minutes(m)}. Ne le partagez jamais ; personne de ${org} ne vous le demandera.`,
      'Si vous n’avez pas demandé ce code, quelqu’un connaît peut-être votre mot de passe : changez-le et prévenez votre administrateur.',
    ],
  }),
  factorBound: ({ org, at, factor }) => ({
    subject: `${org} : une méthode de vérification a été ajoutée à votre compte`,
    lines: [`Le ${at}, « ${factor} » a été ajouté comme méthode de vérification en deux étapes à votre compte ${org}.`],
  }),
  factorRemoved: ({ org, at, factor }) => ({
    subject: `${org} : une méthode de vérification a été retirée de votre compte`,
    lines: [`Le ${at}, « ${factor} » a été retiré des méthodes de vérification en deux étapes de votre compte ${org}.`],
  }),
  passwordChanged: ({ org, at, by }) => ({
    subject: `${org} : votre mot de passe a été changé`,
    lines: [`Votre mot de passe ${org} a été changé${by ? ` par ${by}` : ''} le ${at}.`],
  }),
  twoStepReset: ({ org, at, by }) => ({
    subject: `${org} : votre vérification en deux étapes a été réinitialisée`,
    lines: [
      `Le ${at}, ${by} a réinitialisé la vérification en deux étapes de votre compte ${org}.`,
      'À votre prochaine connexion, il vous sera demandé de la configurer à nouveau.',
      '',
      'Si vous ne vous y attendiez pas, prévenez votre administrateur avant que quiconque se connecte avec votre mot de passe.',
    ],
  }),
  primaryMethodReset: ({ org, at, by, method }) => ({
    subject: `${org} : votre vérification en deux étapes a été réinitialisée`,
    lines: [
      `Le ${at}, ${by} a fait de « ${method} » la méthode principale de vérification en deux étapes de ${org}, ce qui la réinitialise pour tout le monde.`,
      'À votre prochaine connexion, il vous sera demandé de la configurer à nouveau, en commençant par cette méthode.',
      '',
      'Si vous ne vous y attendiez pas, prévenez votre administrateur avant que quiconque se connecte avec votre mot de passe.',
    ],
  }),
  setupCodeIssued: ({ org, at, by }) => ({
    subject: `${org} : un code de configuration a été émis pour votre compte`,
    lines: [
      `Le ${at}, ${by} a émis un code de configuration à usage unique pour votre compte ${org}.`,
      'Vous en aurez besoin, de la part de votre administrateur, pour configurer la vérification en deux étapes.',
    ],
  }),
  recoveryCodesIssued: ({ org, at, count }) => ({
    subject: `${org} : de nouveaux codes de récupération ont été créés pour votre compte`,
    lines: [
      `Le ${at}, ${count} nouveaux codes de récupération ont été créés pour votre compte ${org}.`,
      'Les codes de récupération que vous aviez auparavant ne fonctionnent plus.',
    ],
  }),
  recoveryCodeUsed: ({ org, at, remaining, purpose }) => ({
    subject: `${org} : un code de récupération a été utilisé`,
    lines: [
      `Le ${at}, un code de récupération a été utilisé pour ${purpose === 'sign_in' ? `vous connecter à votre compte ${org}` : `changer votre mot de passe ${org}`}. Chaque code ne fonctionne qu’une fois.`,
      `${remaining < 2 ? `Il reste ${remaining} code de récupération.` : `Il reste ${remaining} codes de récupération.`}${remaining <= 3 ? ' Créez-en une nouvelle série depuis votre compte une fois connecté.' : ''}`,
      '',
      'Si ce n’était pas vous, prévenez immédiatement votre administrateur : quelqu’un a votre mot de passe et vos codes de récupération.',
    ],
  }),
  pushSuspended: ({ org, at, until }) => ({
    subject: `${org} : notifications de l'application d'authentification suspendues`,
    lines: [
      `Le ${at}, plusieurs demandes de connexion envoyées à votre application d'authentification ont été refusées ou sont restées sans réponse : ${org} ne vous enverra plus de notifications jusqu'au ${until}. Vos autres méthodes de vérification fonctionnent toujours.`,
      '',
      "Si vous n'avez pas essayé de vous connecter, quelqu'un connaît peut-être votre mot de passe : changez-le.",
    ],
  }),
  invitation: ({ org, expires }) => ({
    subject: `Vous êtes invité à rejoindre ${org}`,
    before: `Vous avez été invité à rejoindre ${org}. Choisissez votre mot de passe ici :`,
    after: [`Le lien ne fonctionne qu’une fois et expire le ${expires}.`, 'Si vous n’attendiez pas cette invitation, ignorez cet e-mail.'],
  }),
  passwordReset: ({ org, expires }) => ({
    subject: `${org} : réinitialisez votre mot de passe`,
    before: `Quelqu’un a demandé à réinitialiser votre mot de passe ${org}. Choisissez-en un nouveau ici :`,
    after: [
      `Le lien ne fonctionne qu’une fois et expire le ${expires}. Si vous utilisez la vérification en deux étapes, vous confirmerez aussi avec elle.`,
      'Si vous n’avez rien demandé, ignorez cet e-mail : votre mot de passe reste inchangé.',
    ],
  }),
};
