/**
 * Messages about the last action. An error is an alert (read out at once); a notice is a polite status.
 * The region is always in the page so that assistive technology notices what appears in it.
 */
export function ErrorAlert({ message }: { message: string | null }) {
  return <div role="alert" className={message ? 'alert error' : 'alert-empty'}>{message}</div>;
}

export function Notice({ message }: { message: string | null }) {
  return <div role="status" className={message ? 'alert notice' : 'alert-empty'}>{message}</div>;
}
