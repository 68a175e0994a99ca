export const signInPaths = { signIn: '/sign-in', verify: '/sign-in/verify' } as const;
