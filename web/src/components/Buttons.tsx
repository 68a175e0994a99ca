import { Button, type ButtonProps } from 'react-aria-components';

/**
 * The step's main action, a submit button. While its request runs it looks busy; the form ignores a
 * second submit meanwhile (see `submitOnce`). React Aria's own pending state is not used: it announces
 * the button by an id that is gone once the next step replaces the button, which leaves an unlabelled
 * element in its live region.
 */
export function PrimaryButton({ children, isPending, ...props }: Omit<ButtonProps, 'className' | 'isPending'> & { children: string; isPending?: boolean }) {
  return (
    <Button className={isPending ? 'button primary busy' : 'button primary'} type="submit" {...props}>
      {children}
    </Button>
  );
}

/** A form's submit handler that runs `action` unless the last one is still running. */
export function submitOnce(pending: boolean, action: () => void) {
  return (event: { preventDefault: () => void }) => {
    event.preventDefault();
    if (!pending) action();
  };
}

export function SecondaryButton({ children, ...props }: Omit<ButtonProps, 'className' | 'isPending'> & { children: string }) {
  return <Button className="button secondary" {...props}>{children}</Button>;
}

/** A button that reads as a link: a side way out of a step ("Use another method"). */
export function LinkButton({ children, ...props }: Omit<ButtonProps, 'className' | 'isPending'> & { children: string }) {
  return <Button className="button link-button" {...props}>{children}</Button>;
}
