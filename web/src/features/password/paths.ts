export const passwordPaths = {
  invitation: '/invitations/:token',
  forgotPassword: '/password-reset',
  passwordReset: '/password-reset/:token',
} as const;
