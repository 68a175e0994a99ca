/**
 * Setting up the authenticator app notification (in "Protect your account", or from the account):
 * a pairing link and its QR code, single use for ten minutes; then, once a device has paired, the
 * number of its first request, which the member types into it. The factor is confirmed by that
 * first signed approval, heard of through the long-poll, never by a tight poll.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from '../../components/Alert.tsx';
import { LinkButton, PrimaryButton, SecondaryButton, submitOnce } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import { PushNumber, endedMessage } from './PushNumber.tsx';
import { usePushWait, type WaitFor } from './pushWait.ts';
import './push.css';

export interface PairingBound {
  readonly id: string;
  readonly pairingLink?: string;
  readonly qrCodeSvg?: string;
  readonly pairingExpiresAt?: string;
}

/** Where a push factor is set up: a set-up transaction, or the signed-in member's account. */
export interface PushBinding<T> {
  readonly bind: () => Promise<PairingBound>;
  readonly waitFor: WaitFor;
  readonly confirm: (factorId: string, pushRequestId: string) => Promise<T>;
  /** A new confirmation request for the factor being set up, where the API offers it. */
  readonly resend?: (factorId: string) => Promise<unknown>;
}

export interface PushSetUpProps<T> {
  readonly binding: PushBinding<T>;
  readonly title: string;
  readonly onConfirmed: (next: T) => void;
  readonly onProblem: (error: unknown) => void;
}

export function PushSetUp<T>({ binding, title, onConfirmed, onProblem }: PushSetUpProps<T>) {
  const t = useT();
  const errorText = useErrorText();
  const [bound, setBound] = useState<PairingBound | null>(null);
  const bind = useMutation({ mutationFn: binding.bind, onSuccess: setBound, onError: onProblem });
  const { status, error: waitError } = usePushWait(binding.waitFor, bound !== null);
  const confirm = useMutation({
    mutationFn: (pushRequestId: string) => binding.confirm(bound?.id ?? '', pushRequestId),
    onSuccess: onConfirmed,
    onError: onProblem,
  });
  const resend = useMutation({ mutationFn: () => binding.resend?.(bound?.id ?? '') ?? Promise.resolve(), onError: onProblem });

  const request = bound && status && status.factorId === bound.id ? status : null;
  const confirmedFor = useRef<string | null>(null);
  useEffect(() => {
    if (request?.state === 'approved' && confirmedFor.current !== request.id) {
      confirmedFor.current = request.id;
      confirm.mutate(request.id);
    }
  }, [request?.id, request?.state]);
  useEffect(() => { if (waitError) onProblem(waitError); }, [waitError]);

  if (!bound) {
    return (
      <div className="step">
        <PageHeading level={2}>{title}</PageHeading>
        <p>{t('push.setUpIntro')}</p>
        <ErrorAlert message={errorText(bind.error)} />
        <form className="form" onSubmit={submitOnce(bind.isPending, () => { bind.mutate(); })}>
          <PrimaryButton isPending={bind.isPending}>{t('push.start')}</PrimaryButton>
        </form>
      </div>
    );
  }

  const ended = request ? endedMessage(request.state) : null;
  return (
    <div className="step" key={bound.id}>
      <PageHeading level={2}>{title}</PageHeading>
      {request === null ? (
        <>
          <p>{t('push.setUpIntro')}</p>
          {bound.qrCodeSvg ? (
            <img className="qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(bound.qrCodeSvg)}`} alt={t('push.qrAlt')} width={200} height={200} />
          ) : null}
          {bound.pairingLink ? (
            <>
              <p className="secret-row">
                <span className="secret-label" id="pairing-link-label">{t('push.linkLabel')}</span>
                <code className="push-link" data-testid="pairing-link" aria-labelledby="pairing-link-label">{bound.pairingLink}</code>
              </p>
              <p><a className="link" href={bound.pairingLink} target="_blank" rel="noopener noreferrer">{t('push.openAuthenticator')}</a></p>
            </>
          ) : null}
          {bound.pairingExpiresAt ? <p>{t('push.linkExpires', { time: new Date(bound.pairingExpiresAt) })}</p> : null}
          <p role="status">{t('push.waitingForPairing')}</p>
        </>
      ) : request.state === 'pending' ? (
        <PushNumber request={request} intro={t('push.pairingNumber')} />
      ) : null}
      <ErrorAlert message={errorText(confirm.error ?? resend.error) ?? (ended ? t(ended) : null)} />
      {request && ended && binding.resend && request.state !== 'reported' ? (
        <div className="actions">
          <SecondaryButton isDisabled={resend.isPending} onPress={() => { confirm.reset(); resend.mutate(); }}>{t('push.newConfirmation')}</SecondaryButton>
        </div>
      ) : null}
      <LinkButton onPress={() => { bind.reset(); confirm.reset(); setBound(null); }}>{t('protect.pairAgain')}</LinkButton>
    </div>
  );
}
