export async function importCommand(_args: string[]): Promise<number> { return 1; }
