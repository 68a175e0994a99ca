/** Where a Technician Console that cannot use a method sends its member (with `?version=`), and the account links. */
export const consolePaths = { consoleVersion: '/technician-console' } as const;
