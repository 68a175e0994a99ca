/**
 * Verifying again with the authenticator app notification, from the account: a request scoped to this
 * session goes to the member's device when they ask for it (never by itself, so opening the page
 * sends nothing to the phone), the page shows its number, waits on the session's long-poll and goes on
 * by itself once the device approves. Only a request this page sent, or one still pending when it
 * opened, is followed: an older approval of the session, already used, is never tried again.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { isProblem } from '../../api/problem.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { SecondaryButton } from '../../components/Buttons.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import { PushNumber, endedMessage } from './PushNumber.tsx';
import { accountWait, usePushWait, type PushStatus } from './pushWait.ts';

export function PushReauthenticate({ factorId, onDone }: { factorId: string; onDone: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const { status } = usePushWait(accountWait);
  const [followed, setFollowed] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/reauthentication/challenges', { body: { factorId } })),
    onSuccess: (sent) => setFollowed(sent.pushRequest?.id ?? null),
  });
  const verify = useMutation({
    mutationFn: (pushRequestId: string) => unwrap(api.POST('/api/v1/me/reauthentication', { body: { factorId, pushRequestId } })),
    onSuccess: onDone,
  });

  const waited = status && status.factorId === factorId && status.purpose !== 'pairing' ? status : null;
  // A request still pending from before (the page drawn again) is followed, not sent again.
  const adopted = useRef(false);
  useEffect(() => {
    if (status === undefined || adopted.current) return;
    adopted.current = true;
    if (waited?.state === 'pending') setFollowed(waited.id);
  }, [status]);
  const sent = send.data?.pushRequest;
  const mine: PushStatus | null = waited && waited.id === followed
    ? waited
    : sent && sent.id === followed ? { ...sent, factorId, purpose: 'sign_in', state: 'pending' } : null;

  const verifiedFor = useRef<string | null>(null);
  useEffect(() => {
    if (mine?.state === 'approved' && verifiedFor.current !== mine.id) {
      verifiedFor.current = mine.id;
      verify.mutate(mine.id);
    }
  }, [mine?.id, mine?.state]);

  const ended = mine ? endedMessage(mine.state) : null;
  const showNumber = mine?.state === 'pending' && !send.isPending;
  const locked = mine?.state === 'reported' || isProblem(send.error, 'push_locked');
  return (
    <>
      <ErrorAlert message={errorText(send.error ?? verify.error) ?? (ended ? t(mine?.state === 'denied' ? 'push.reauthDenied' : ended) : null)} />
      {send.isPending ? <Notice message={t('push.sending')} /> : null}
      {showNumber && mine ? <PushNumber request={mine} intro={t('push.numberIntro')} waiting={t('push.reauthWaiting')} /> : null}
      {mine?.state === 'approved' ? <Notice message={t('push.state.approved')} /> : null}
      {!showNumber && mine?.state !== 'approved' && !send.isPending && !locked ? (
        <div className="actions">
          <SecondaryButton onPress={() => { verify.reset(); send.mutate(); }}>{t(mine ? 'push.sendAgain' : 'push.reauthSend')}</SecondaryButton>
        </div>
      ) : null}
    </>
  );
}
