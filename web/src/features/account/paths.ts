export const accountPaths = { account: '/account' } as const;
