/**
 * The masked phone number or address of a text message or email factor (`···0123`, `an···@example.com`),
 * taken from the factor's label, which the server writes as an English phrase around it: the page
 * shows the masked part inside its own translated sentence. `none` for methods without one (an
 * authenticator app), as the messages' ICU `select` expects.
 */
export function destinationOf(label: string): string {
  return /(\S*···\S*)$/.exec(label)?.[1] ?? 'none';
}
