/** The messages in (European) Portuguese. */
import type { MessageTexts } from './catalogue.ts';

const minutes = (n: number): string => `${n} ${n === 1 ? 'minuto' : 'minutos'}`;
const purposes = { sign_in: 'para iniciar sessão', password_change: 'para alterar a sua palavra-passe', setup: 'para configurar a verificação em dois passos' } as const;

export const pt: MessageTexts = {
  locale: 'pt-PT',
  methodNames: { push: 'notificação da aplicação de autenticação', totp: 'aplicação de autenticação', sms: 'mensagem de texto', email: 'email' },
  ifNotYou: 'Se não foi o próprio, avise de imediato o seu administrador: alguém pode ter a sua palavra-passe.',
  smsCode: ({ code, org, purpose, minutes: m }) =>
    `${code} é o seu código ${org} ${purposes[purpose]}. Expira em ${minutes(m)}. Nunca o partilhe.`,
  smsSubject: (org) => `${org}: código de verificação`,
  emailCodeSubject: ({ org, purpose }) => `${org}: o seu código ${purposes[purpose]}`,
  emailCode: ({ org, purpose, minutes: m }) => ({
    before: `O seu código ${{ sign_in: `para iniciar sessão em ${org}`, password_change: `para alterar a sua palavra-passe de ${org}`, setup: `para configurar a verificação em dois passos de ${org}` }[purpose]} é:`,
    after: [
      `Expira em ${minutes(m)}. Nunca o partilhe; ninguém de ${org} lho pedirá.`,
      'Se não pediu este código, alguém pode conhecer a sua palavra-passe: altere-a e avise o seu administrador.',
    ],
  }),
  factorBound: ({ org, at, factor }) => ({
    subject: `${org}: foi adicionado um método de verificação à sua conta`,
    lines: [`Em ${at}, «${factor}» foi adicionado como método de verificação em dois passos à sua conta ${org}.`],
  }),
  factorRemoved: ({ org, at, factor }) => ({
    subject: `${org}: foi removido um método de verificação da sua conta`,
    lines: [`Em ${at}, «${factor}» foi removido dos métodos de verificação em dois passos da sua conta ${org}.`],
  }),
  passwordChanged: ({ org, at, by }) => ({
    subject: `${org}: a sua palavra-passe foi alterada`,
    lines: [`A sua palavra-passe de ${org} foi alterada${by ? ` por ${by}` : ''} em ${at}.`],
  }),
  twoStepReset: ({ org, at, by }) => ({
    subject: `${org}: a sua verificação em dois passos foi reposta`,
    lines: [
      `Em ${at}, ${by} repôs a verificação em dois passos da sua conta ${org}.`,
      'Da próxima vez que iniciar sessão, ser-lhe-á pedido que a configure de novo.',
      '',
      'Se não esperava isto, avise o seu administrador antes que alguém inicie sessão com a sua palavra-passe.',
    ],
  }),
  primaryMethodReset: ({ org, at, by, method }) => ({
    subject: `${org}: a sua verificação em dois passos foi reposta`,
    lines: [
      `Em ${at}, ${by} tornou «${method}» o método principal de verificação em dois passos de ${org}, o que a repõe para todos.`,
      'Da próxima vez que iniciar sessão, ser-lhe-á pedido que a configure de novo, a começar por esse método.',
      '',
      'Se não esperava isto, avise o seu administrador antes que alguém inicie sessão com a sua palavra-passe.',
    ],
  }),
  setupCodeIssued: ({ org, at, by }) => ({
    subject: `${org}: foi emitido um código de configuração para a sua conta`,
    lines: [
      `Em ${at}, ${by} emitiu um código de configuração de utilização única para a sua conta ${org}.`,
      'Vai precisar dele, fornecido pelo seu administrador, para configurar a verificação em dois passos.',
    ],
  }),
  recoveryCodesIssued: ({ org, at, count }) => ({
    subject: `${org}: foram criados novos códigos de recuperação para a sua conta`,
    lines: [
      `Em ${at}, foram criados ${count} novos códigos de recuperação para a sua conta ${org}.`,
      'Os códigos de recuperação que tinha antes deixaram de funcionar.',
    ],
  }),
  recoveryCodeUsed: ({ org, at, remaining, purpose }) => ({
    subject: `${org}: foi usado um código de recuperação`,
    lines: [
      `Em ${at}, foi usado um código de recuperação para ${purpose === 'sign_in' ? `iniciar sessão na sua conta ${org}` : `alterar a sua palavra-passe de ${org}`}. Cada código funciona uma vez.`,
      `${remaining === 1 ? 'Resta 1 código de recuperação.' : `Restam ${remaining} códigos de recuperação.`}${remaining <= 3 ? ' Crie um novo conjunto na sua conta depois de iniciar sessão.' : ''}`,
      '',
      'Se não foi o próprio, avise de imediato o seu administrador: alguém tem a sua palavra-passe e os seus códigos de recuperação.',
    ],
  }),
  pushSuspended: ({ org, at, until }) => ({
    subject: `${org}: notificações da aplicação de autenticação em pausa`,
    lines: [
      `Em ${at}, vários pedidos de início de sessão para a sua aplicação de autenticação foram recusados ou ficaram sem resposta, por isso ${org} não lhe enviará notificações até ${until}. Os seus outros métodos de verificação continuam a funcionar.`,
      '',
      'Se não tentou iniciar sessão, alguém pode saber a sua palavra-passe: altere-a.',
    ],
  }),
  invitation: ({ org, expires }) => ({
    subject: `Foi convidado para ${org}`,
    before: `Foi convidado para ${org}. Defina aqui a sua palavra-passe:`,
    after: [`A ligação funciona uma vez e expira em ${expires}.`, 'Se não esperava este convite, ignore este email.'],
  }),
  passwordReset: ({ org, expires }) => ({
    subject: `${org}: reponha a sua palavra-passe`,
    before: `Alguém pediu para repor a sua palavra-passe de ${org}. Escolha uma nova aqui:`,
    after: [
      `A ligação funciona uma vez e expira em ${expires}. Se usa a verificação em dois passos, também vai confirmar com ela.`,
      'Se não pediu, ignore este email: a sua palavra-passe mantém-se.',
    ],
  }),
};
