/**
 * The heading of a page or of a step. It takes the focus when it appears, so a keyboard or screen
 * reader user lands on each new step instead of somewhere in the last one.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function PageHeading({ children, level = 1 }: { children: ReactNode; level?: 1 | 2 }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const Tag = level === 1 ? 'h1' : 'h2';
  return <Tag ref={ref} tabIndex={-1} className="page-heading">{children}</Tag>;
}
