/**
 * How a typed code is read. People copy codes as they are shown or spoken: `578 828`, `578-828`, with
 * a non-breaking space from a message or a typographic dash from a word processor. None of those
 * characters can be part of any code Twofold issues, so dropping them accepts every such spelling and
 * makes no wrong code right.
 */

/** Whitespace (any Unicode space, tabs, line breaks) and dashes (hyphen-minus and the Unicode dashes and minus). */
const SEPARATORS = /[\s\u002D\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]+/gu;

/** `code` without the spaces and dashes a person may type between its characters. */
export function compactCode(code: string): string {
  return code.replace(SEPARATORS, '');
}
