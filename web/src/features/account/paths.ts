export const accountPaths = { account: '/account', twoStepSetup: '/account/two-step-setup' } as const;
