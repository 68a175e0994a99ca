export const firstRunPaths = { firstRun: '/first-run' } as const;
