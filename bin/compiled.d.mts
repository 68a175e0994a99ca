/** A file URL of an up-to-date bundle of `entry` for the project at `root`, building it first when needed; null when it cannot be written. */
export function compiledEntry(root?: string, entry?: string): Promise<string | null>;
