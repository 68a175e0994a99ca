/**
 * One request as the member sees it: who, which organization, from which client and IP address, when,
 * and how long it has left; then the number to TYPE (never a list to pick from, so that approving
 * means having seen the sign-in screen), and Approve, Deny or Deny and report, each signed by the key.
 */
import { useMutation } from '@tanstack/react-query';
import { numberScreenOf } from '@twofold/client';
import { useState } from 'react';
import { Form } from 'react-aria-components';
import { useIntl } from 'react-intl';
import { api, unwrap } from '../../api/client.ts';
import { ApiProblem } from '../../api/problem.ts';
import { ErrorAlert } from '../../components/Alert.tsx';
import { PrimaryButton, SecondaryButton, submitOnce } from '../../components/Buttons.tsx';
import { TextInput } from '../../components/TextInput.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import { useCountdown } from '../sign-in/useCountdown.ts';
import { signDecision, type Decision } from './deviceKeys.ts';
import type { RequestContext } from './requestStream.ts';

const PURPOSES = new Set(['sign_in', 'password_change', 'password_reset', 'confirm_identity', 'pairing']);

export interface Answered { readonly id: string; readonly state: string }

interface RequestCardProps {
  readonly request: RequestContext;
  readonly privateKey: CryptoKey;
  readonly onAnswered: (answer: Answered) => void;
  /** An answer that ended the request (a wrong number) or came too late: the card goes, the message stays. */
  readonly onEnded: (error: unknown) => void;
}

const ENDING = new Set(['push_number_mismatch', 'push_request_closed']);

export function RequestCard({ request, privateKey, onAnswered, onEnded }: RequestCardProps) {
  const t = useT();
  const intl = useIntl();
  const errorText = useErrorText();
  const [number, setNumber] = useState('');
  const [invalid, setInvalid] = useState(false);
  const secondsLeft = useCountdown(new Date(request.expiresAt).getTime());
  const decide = useMutation({
    mutationFn: async (decision: Decision) => {
      const typed = decision === 'approve' ? number.replace(/\D/g, '') : '';
      const signature = await signDecision(privateKey, request.id, typed, decision);
      return unwrap(api.POST('/api/v1/authenticator/requests/{requestId}/decision', {
        params: { path: { requestId: request.id } }, body: { decision, number: typed, signature },
      }));
    },
    onSuccess: onAnswered,
    onError: (error) => { if (error instanceof ApiProblem && ENDING.has(error.code)) onEnded(error); },
  });
  const approve = () => {
    const typed = number.replace(/\D/g, '');
    if (typed.length !== request.numberDigits) return setInvalid(true);
    setInvalid(false);
    decide.mutate('approve');
  };
  // `action` names what approving does (verifying again on the account is a `sign_in` purpose); a
  // server too old to send it still has `purpose`.
  const what = request.action ?? request.purpose;
  const purpose = PURPOSES.has(what) ? what : 'other';
  const screen = numberScreenOf(request);
  const titleId = `request-${request.id}`;
  const client = request.client.kind === 'technician-console'
    ? t('authenticator.clientConsole', { version: request.client.version ?? 'none' })
    : t('authenticator.clientWebsite');

  return (
    <article className="push-request" aria-labelledby={titleId}>
      <h3 id={titleId}>{t(`authenticator.purpose.${purpose}` as 'authenticator.purpose.sign_in')}</h3>
      <dl className="push-context">
        <dt>{t('authenticator.who')}</dt>
        <dd>{request.memberName} ({request.memberEmail})</dd>
        <dt>{t('authenticator.organization')}</dt>
        <dd>{request.organizationName}</dd>
        <dt>{t('authenticator.client')}</dt>
        <dd>{client}</dd>
        <dt>{t('authenticator.ip')}</dt>
        <dd>{request.ip ?? t('authenticator.ipUnknown')}</dd>
        <dt>{t('authenticator.time')}</dt>
        <dd>{intl.formatDate(request.createdAt, { dateStyle: 'medium', timeStyle: 'medium' })}</dd>
      </dl>
      <p className="countdown">{t('authenticator.expiresIn', { seconds: secondsLeft })}</p>
      <ErrorAlert message={errorText(decide.error)} />
      <Form className="form" onSubmit={submitOnce(decide.isPending, approve)}>
        <TextInput
          label={t('authenticator.number', { kind: screen })}
          hint={t(screen === 'change' ? 'authenticator.numberHintChange' : 'authenticator.numberHint', { digits: request.numberDigits })}
          error={invalid ? t('authenticator.numberInvalid', { digits: request.numberDigits, kind: screen }) : undefined}
          name="number" inputMode="numeric" autoComplete="off" spellCheck={false} maxLength={request.numberDigits + 2}
          isRequired value={number} onChange={(value) => { setNumber(value); setInvalid(false); }}
        />
        <div className="actions">
          <PrimaryButton isPending={decide.isPending && decide.variables === 'approve'}>{t('authenticator.approve')}</PrimaryButton>
          <SecondaryButton isDisabled={decide.isPending} onPress={() => decide.mutate('deny')}>{t('authenticator.deny')}</SecondaryButton>
          <SecondaryButton isDisabled={decide.isPending} onPress={() => decide.mutate('deny_and_report')}>{t('authenticator.denyAndReport')}</SecondaryButton>
        </div>
      </Form>
    </article>
  );
}
