/** The one function of `pg`'s exported `lib/utils` that storage/namedStatements.ts uses (no types ship for it). */
declare module 'pg/lib/utils.js' {
  const utils: {
    /** Turns a query parameter into what pg sends for it (dates, buffers, arrays, objects as text). */
    prepareValue(value: unknown): unknown;
  };
  export default utils;
}
