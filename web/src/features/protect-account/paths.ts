export const protectAccountPaths = { protectAccount: '/sign-in/protect-your-account' } as const;
