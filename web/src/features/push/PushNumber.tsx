/** The number the member types into the authenticator, shown large, with the time the request has left. */
import { useT } from '../../i18n/I18n.tsx';
import { useCountdown } from '../sign-in/useCountdown.ts';
import type { PushStatus } from './pushWait.ts';
import './push.css';

/** `waiting` says what goes on once approved (a sign-in by default). */
export function PushNumber({ request, intro, waiting }: { request: PushStatus; intro: string; waiting?: string }) {
  const t = useT();
  const secondsLeft = useCountdown(new Date(request.expiresAt).getTime());
  return (
    <>
      <p id="push-number-intro">{intro}</p>
      <p className="push-number" data-testid="push-number" aria-labelledby="push-number-intro" aria-describedby="push-number-label">
        {request.number}
      </p>
      <span id="push-number-label" className="visually-hidden">{t('push.numberLabel')}</span>
      <p role="status">{waiting ?? t('push.waiting')}</p>
      <p className="countdown">{t('push.endsIn', { seconds: secondsLeft })}</p>
    </>
  );
}

/** How a request that ended without an approval reads. */
export const endedMessage = (state: PushStatus['state']) =>
  (state === 'approved' || state === 'pending' ? null : (`push.state.${state}` as const));
