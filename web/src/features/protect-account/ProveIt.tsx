/**
 * "Confirm it's you": the organization switched off every method the member had set up, so before
 * binding an allowed one they prove they hold one of the old factors (a code from it, usable here
 * only) or use a recovery code. The password alone never replaces a factor. The proof completes
 * nothing: the answer is the same set-up, now open to a new method.
 */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { checkCode, checkRecoveryCode, sendChallenge } from '@twofold/client';
import { api, type Transaction, type TransactionFactor } from '../../api/client.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { PrimaryButton, SecondaryButton, submitOnce } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { CodeInput } from '../../components/TextInput.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import { destinationOf } from '../sign-in/destination.ts';
import { RESEND_AFTER_MS, lastSent, markSent, resendWaitSeconds } from '../sign-in/resend.ts';
import { useCountdown } from '../sign-in/useCountdown.ts';
import { stepOf } from '../sign-in/steps.ts';

const RECOVERY = 'recovery';

export function ProveIt({ transaction, onProved, onProblem }: {
  transaction: Transaction; onProved: (next: Transaction) => void; onProblem: (error: unknown) => void;
}) {
  const t = useT();
  const factors = transaction.setup?.proofFactors ?? [];
  const step = stepOf(transaction);
  const usable = step.kind === 'verify' ? step.factors : [];
  const [chosen, setChosen] = useState(() => (step.kind === 'verify' ? step.suggested?.id : undefined) ?? (transaction.recoveryAvailable ? RECOVERY : ''));
  const methods = [...new Set(factors.map((factor) => t(`common.method.${factor.type}`)))].join(', ');
  const factor = usable.find((f) => f.id === chosen);
  return (
    <div className="step">
      <PageHeading level={2}>{t('setupProof.proofStep')}</PageHeading>
      <p>{t('setupProof.proofIntro', { methods })}</p>
      <RadioGroup className="radio-group" value={chosen} onChange={setChosen}>
        <Label className="field-label">{t('setupProof.proofWith')}</Label>
        {usable.map((option) => (
          <Radio key={option.id} value={option.id} className="radio" isDisabled={option.locked}>
            {t(option.locked ? 'signIn.factorLocked' : 'signIn.factorOption', { method: t(`common.method.${option.type}`), destination: destinationOf(option.label) })}
          </Radio>
        ))}
        {transaction.recoveryAvailable ? <Radio value={RECOVERY} className="radio">{t('setupProof.proofRecovery')}</Radio> : null}
      </RadioGroup>
      {factor ? <FactorProof key={factor.id} transaction={transaction} factor={factor} onProved={onProved} onProblem={onProblem} /> : null}
      {chosen === RECOVERY ? <RecoveryProof transaction={transaction} onProved={onProved} onProblem={onProblem} /> : null}
      <p className="field-hint">{t('setupProof.proofNoMethod')}</p>
    </div>
  );
}

interface ProofProps {
  readonly transaction: Transaction;
  readonly onProved: (next: Transaction) => void;
  readonly onProblem: (error: unknown) => void;
}

/** A code from one of the switched-off factors; a text message or email is sent when asked for. */
function FactorProof({ transaction, factor, onProved, onProblem }: ProofProps & { factor: TransactionFactor }) {
  const t = useT();
  const errorText = useErrorText();
  const [code, setCode] = useState('');
  const sendsCodes = factor.type === 'sms' || factor.type === 'email';
  const [sentAt, setSentAt] = useState(() => lastSent(transaction.id, factor.id));
  const secondsLeft = useCountdown(sentAt === null ? null : sentAt + RESEND_AFTER_MS);
  const destination = destinationOf(factor.label);
  const send = useMutation({
    mutationFn: () => sendChallenge(api, transaction, factor.id),
    onSuccess: () => {
      const now = Date.now();
      markSent(transaction.id, factor.id, now);
      setSentAt(now);
    },
    onError: (error) => {
      onProblem(error);
      // Within 30 seconds of the last code the server asks to wait: that is the countdown, not an error.
      const wait = resendWaitSeconds(error);
      if (wait !== null) setSentAt(Date.now() - RESEND_AFTER_MS + wait * 1000);
    },
  });
  const verify = useMutation({
    mutationFn: () => checkCode(api, transaction, factor.id, code),
    onSuccess: onProved,
    onError: (error) => {
      setCode('');
      onProblem(error);
    },
  });
  const intro = factor.type === 'sms' ? t('setupProof.proofSms', { destination })
    : factor.type === 'email' ? t('setupProof.proofEmail', { destination })
      : t('setupProof.proofTotp');
  return (
    <>
      <p>{intro}</p>
      <ErrorAlert message={errorText(verify.error ?? (resendWaitSeconds(send.error) === null ? send.error : null))} />
      <Notice message={sentAt !== null ? t('setupProof.proofSent', { destination }) : null} />
      {sendsCodes ? (
        <div className="resend">
          <SecondaryButton isDisabled={secondsLeft > 0 || send.isPending || factor.locked} onPress={() => send.mutate()}>
            {sentAt === null ? t('setupProof.proofSend') : t('signIn.resend')}
          </SecondaryButton>
          {secondsLeft > 0 ? <span className="countdown">{t('signIn.resendIn', { seconds: secondsLeft })}</span> : null}
        </div>
      ) : null}
      <Form className="form" onSubmit={submitOnce(verify.isPending, () => verify.mutate())}>
        <CodeInput label={t('signIn.code')} hint={t('signIn.codeHint')} name="code" isRequired value={code} onChange={setCode} />
        <PrimaryButton isPending={verify.isPending}>{t('setupProof.confirm')}</PrimaryButton>
      </Form>
    </>
  );
}

/** One of the recovery codes kept at the last set-up: used up, as at sign-in. */
function RecoveryProof({ transaction, onProved, onProblem }: ProofProps) {
  const t = useT();
  const errorText = useErrorText();
  const [code, setCode] = useState('');
  const recover = useMutation({
    mutationFn: () => checkRecoveryCode(api, transaction, code),
    onSuccess: onProved,
    onError: onProblem,
  });
  return (
    <>
      <p>{t('setupProof.proofRecoveryIntro')}</p>
      <ErrorAlert message={errorText(recover.error)} />
      <Form className="form" onSubmit={submitOnce(recover.isPending, () => recover.mutate())}>
        <CodeInput label={t('signIn.recoveryCode')} name="recoveryCode" numeric={false} isRequired value={code} onChange={setCode} />
        <PrimaryButton isPending={recover.isPending}>{t('setupProof.confirm')}</PrimaryButton>
      </Form>
    </>
  );
}
