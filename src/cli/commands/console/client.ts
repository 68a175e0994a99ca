// The client package, by path: the command runs from its TypeScript sources wherever it is started,
// where a tsconfig path would resolve only from the repository's own directory.
export * from '../../../../packages/client/src/index.ts';
