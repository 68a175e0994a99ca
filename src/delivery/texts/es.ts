/** The messages in Spanish. */
import type { MessageTexts } from './catalogue.ts';

const minutes = (n: number): string => `${n} ${n === 1 ? 'minuto' : 'minutos'}`;
const purposes = { sign_in: 'para iniciar sesión', password_change: 'para cambiar tu contraseña', setup: 'para configurar la verificación en dos pasos' } as const;

export const es: MessageTexts = {
  locale: 'es-ES',
  methodNames: { push: 'notificación de la aplicación de autenticación', totp: 'aplicación de autenticación', sms: 'mensaje de texto', email: 'correo electrónico' },
  ifNotYou: 'Si no fuiste tú, avisa de inmediato a tu administrador: alguien podría tener tu contraseña.',
  smsCode: ({ code, org, purpose, minutes: m }) =>
    `${code} es tu código de ${org} ${purposes[purpose]}. Caduca en ${minutes(m)}. No lo compartas nunca.`,
  smsSubject: (org) => `${org}: código de verificación`,
  emailCodeSubject: ({ org, purpose }) => `${org}: tu código ${purposes[purpose]}`,
  emailCode: ({ org, purpose, minutes: m }) => ({
    before: `Tu código ${{ sign_in: `para iniciar sesión en ${org}`, password_change: `para cambiar tu contraseña de ${org}`, setup: `para configurar la verificación en dos pasos de ${org}` }[purpose]} es:`,
    after: [
      `Caduca en ${minutes(m)}. No lo compartas nunca; nadie de ${org} te lo pedirá.`,
      'Si no pediste este código, alguien podría conocer tu contraseña: cámbiala y avisa a tu administrador.',
    ],
  }),
  factorBound: ({ org, at, factor }) => ({
    subject: `${org}: se añadió un método de verificación a tu cuenta`,
    lines: [`El ${at}, se añadió «${factor}» como método de verificación en dos pasos a tu cuenta de ${org}.`],
  }),
  factorRemoved: ({ org, at, factor }) => ({
    subject: `${org}: se quitó un método de verificación de tu cuenta`,
    lines: [`El ${at}, se quitó «${factor}» de los métodos de verificación en dos pasos de tu cuenta de ${org}.`],
  }),
  passwordChanged: ({ org, at, by }) => ({
    subject: `${org}: se cambió tu contraseña`,
    lines: [`Tu contraseña de ${org} fue cambiada${by ? ` por ${by}` : ''} el ${at}.`],
  }),
  twoStepReset: ({ org, at, by }) => ({
    subject: `${org}: se restableció tu verificación en dos pasos`,
    lines: [
      `El ${at}, ${by} restableció la verificación en dos pasos de tu cuenta de ${org}.`,
      'La próxima vez que inicies sesión se te pedirá que la configures de nuevo.',
      '',
      'Si no lo esperabas, avisa a tu administrador antes de que alguien inicie sesión con tu contraseña.',
    ],
  }),
  primaryMethodReset: ({ org, at, by, method }) => ({
    subject: `${org}: se restableció tu verificación en dos pasos`,
    lines: [
      `El ${at}, ${by} hizo de «${method}» el método principal de verificación en dos pasos de ${org}, lo que la restablece para todos.`,
      'La próxima vez que inicies sesión se te pedirá que la configures de nuevo, empezando por ese método.',
      '',
      'Si no lo esperabas, avisa a tu administrador antes de que alguien inicie sesión con tu contraseña.',
    ],
  }),
  setupCodeIssued: ({ org, at, by }) => ({
    subject: `${org}: se emitió un código de configuración para tu cuenta`,
    lines: [
      `El ${at}, ${by} emitió un código de configuración de un solo uso para tu cuenta de ${org}.`,
      'Lo necesitarás, de parte de tu administrador, para configurar la verificación en dos pasos.',
    ],
  }),
  recoveryCodesIssued: ({ org, at, count }) => ({
    subject: `${org}: se crearon nuevos códigos de recuperación para tu cuenta`,
    lines: [
      `El ${at} se crearon ${count} nuevos códigos de recuperación para tu cuenta de ${org}.`,
      'Los códigos de recuperación que tenías antes ya no funcionan.',
    ],
  }),
  recoveryCodeUsed: ({ org, at, remaining, purpose }) => ({
    subject: `${org}: se usó un código de recuperación`,
    lines: [
      `El ${at} se usó un código de recuperación para ${purpose === 'sign_in' ? `iniciar sesión en tu cuenta de ${org}` : `cambiar tu contraseña de ${org}`}. Cada código funciona una sola vez.`,
      `${remaining === 1 ? 'Queda 1 código de recuperación.' : `Quedan ${remaining} códigos de recuperación.`}${remaining <= 3 ? ' Crea una nueva serie desde tu cuenta cuando hayas iniciado sesión.' : ''}`,
      '',
      'Si no fuiste tú, avisa de inmediato a tu administrador: alguien tiene tu contraseña y tus códigos de recuperación.',
    ],
  }),
  pushSuspended: ({ org, at, until }) => ({
    subject: `${org}: notificaciones de la aplicación de autenticación en pausa`,
    lines: [
      `El ${at}, varias solicitudes de inicio de sesión a tu aplicación de autenticación se rechazaron o no se respondieron, así que ${org} no te enviará notificaciones hasta el ${until}. Tus otros métodos de verificación siguen funcionando.`,
      '',
      'Si no intentaste iniciar sesión, puede que alguien conozca tu contraseña: cámbiala.',
    ],
  }),
  invitation: ({ org, expires }) => ({
    subject: `Te han invitado a ${org}`,
    before: `Te han invitado a ${org}. Elige tu contraseña aquí:`,
    after: [`El enlace funciona una sola vez y caduca el ${expires}.`, 'Si no esperabas esta invitación, ignora este correo.'],
  }),
  passwordReset: ({ org, expires }) => ({
    subject: `${org}: restablece tu contraseña`,
    before: `Alguien pidió restablecer tu contraseña de ${org}. Elige una nueva aquí:`,
    after: [
      `El enlace funciona una sola vez y caduca el ${expires}. Si usas la verificación en dos pasos, también confirmarás con ella.`,
      'Si no lo pediste, ignora este correo: tu contraseña no cambia.',
    ],
  }),
};
