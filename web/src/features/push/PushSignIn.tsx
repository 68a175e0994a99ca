/**
 * A sign-in (or a change confirmed like one) by authenticator app notification: a request goes to the
 * member's device, the page shows its number, waits on the transaction's long-poll, and goes on by
 * itself once the device approves; a denied, expired, wrong-number or reported request reads plainly
 * and a new one can be sent. A request still pending from before a reload is shown again, not resent.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { isProblem } from '../../api/problem.ts';
import { startPush, verifyWithPush } from '@twofold/client';
import { api, type Transaction, type TransactionFactor } from '../../api/client.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { SecondaryButton } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import { PushNumber, endedMessage } from './PushNumber.tsx';
import { transactionWait, usePushWait, type PushStatus } from './pushWait.ts';

export interface PushSignInProps {
  readonly transaction: Transaction;
  readonly factor: TransactionFactor;
  /** The completed (or next) transaction, once the approval is spent. */
  readonly onVerified: (next: Transaction) => void;
  /** A problem from the server, which may end the sign-in. */
  readonly onProblem: (error: unknown) => void;
}

export function PushSignIn({ transaction, factor, onVerified, onProblem }: PushSignInProps) {
  const t = useT();
  const errorText = useErrorText();
  const waitFor = useMemo(() => transactionWait(transaction.id), [transaction.id]);
  const { status, error: waitError } = usePushWait(waitFor);
  const send = useMutation({
    mutationFn: () => startPush(api, transaction, factor.id),
    onError: onProblem,
  });
  const verify = useMutation({
    mutationFn: (pushRequestId: string) => verifyWithPush(api, transaction, factor.id, pushRequestId),
    onSuccess: onVerified,
    onError: onProblem,
  });

  const waited = status && status.factorId === factor.id && status.purpose !== 'pairing' ? status : null;
  // The request just sent, until the wait answers it (a moment later): its number shows at once.
  const sent = send.data;
  const mine: PushStatus | null = sent && waited?.id !== sent.id && !send.isPending
    ? { ...sent, factorId: factor.id, purpose: 'sign_in', state: 'pending' }
    : waited;
  // Sent once the first answer says nothing is pending for this device yet (a reload keeps the one sent).
  const sentOnce = useRef(false);
  useEffect(() => {
    if (status === undefined || sentOnce.current) return;
    sentOnce.current = true;
    if (mine?.state !== 'pending' && !factor.locked) send.mutate();
  }, [status]);
  const verifiedFor = useRef<string | null>(null);
  useEffect(() => {
    if (mine?.state === 'approved' && verifiedFor.current !== mine.id) {
      verifiedFor.current = mine.id;
      verify.mutate(mine.id);
    }
  }, [mine?.id, mine?.state]);
  useEffect(() => { if (waitError) onProblem(waitError); }, [waitError]);

  const ended = mine ? endedMessage(mine.state) : null;
  const showNumber = mine?.state === 'pending' && !send.isPending;
  return (
    <>
      <PageHeading>{t('push.signInTitle')}</PageHeading>
      <ErrorAlert message={errorText(send.error ?? verify.error) ?? (ended ? t(ended) : null)} />
      {send.isPending ? <Notice message={t('push.sending')} /> : null}
      {showNumber && mine ? <PushNumber request={mine} intro={t('push.numberIntro')} /> : null}
      {mine?.state === 'approved' ? <Notice message={t('push.state.approved')} /> : null}
      {!showNumber && mine?.state !== 'approved' && !send.isPending && mine?.state !== 'reported' && !isProblem(send.error, 'push_locked') ? (
        <div className="actions">
          <SecondaryButton onPress={() => { verify.reset(); send.mutate(); }}>{t('push.sendAgain')}</SecondaryButton>
        </div>
      ) : null}
    </>
  );
}
