export const authenticatorPaths = { authenticator: '/authenticator' } as const;
