/**
 * "Enter the security code": the member's primary method first, "Use another method", a resend with
 * a live countdown for text messages and emails, "Use a recovery code", and the end states.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Form, Radio, RadioGroup, Label } from 'react-aria-components';
import { checkCode, checkRecoveryCode, sendChallenge } from '@twofold/client';
import { api, type Transaction, type TransactionFactor } from '../../api/client.ts';
import { navigate } from '../../app/router.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { LinkButton, PrimaryButton, SecondaryButton, submitOnce } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { CodeInput } from '../../components/TextInput.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import { ClosedTransaction, closedReason } from './ClosedTransaction.tsx';
import { signInPaths } from './paths.ts';
import { RESEND_AFTER_MS, lastSent, markSent, resendWaitSeconds } from './resend.ts';
import { pathFor, rememberedTransaction, useTransaction, useTransactionUpdate } from './transaction.ts';
import { useCountdown } from './useCountdown.ts';
import { destinationOf } from './destination.ts';
import { PushSignIn } from '../push/PushSignIn.tsx';
import { stepOf } from './steps.ts';

type Mode = 'code' | 'choose' | 'recovery';

export default function VerifyPage() {
  const [id] = useState(rememberedTransaction);
  const transaction = useTransaction(id);
  const [closed, setClosed] = useState<'failed' | 'expired' | null>(null);

  useEffect(() => {
    if (id === null) navigate(signInPaths.signIn, { replace: true });
  }, [id]);
  useEffect(() => {
    if (transaction.data && transaction.data.state !== 'verify') navigate(pathFor(transaction.data), { replace: true });
  }, [transaction.data]);

  const reason = closed ?? closedReason(transaction.error);
  if (reason) return <ClosedTransaction reason={reason} />;
  if (!transaction.data || transaction.data.state !== 'verify') return null;
  return <Verify transaction={transaction.data} onClosed={setClosed} />;
}

function Verify({ transaction, onClosed }: { transaction: Transaction; onClosed: (reason: 'failed' | 'expired') => void }) {
  const t = useT();
  const update = useTransactionUpdate();
  const step = stepOf(transaction);
  const usable = step.kind === 'verify' ? step.factors : [];
  // The suggested factor; when every one is locked, the first, which says so.
  const [factorId, setFactorId] = useState(() => (step.kind === 'verify' ? step.suggested?.id : undefined) ?? usable[0]?.id ?? '');
  const [mode, setMode] = useState<Mode>('code');
  const factor = usable.find((f) => f.id === factorId);
  const others = usable.filter((f) => f.id !== factorId);

  return (
    <section className="card">
      {mode === 'choose' ? (
        <ChooseMethod
          factors={usable}
          current={factorId}
          onChosen={(chosen) => {
            setFactorId(chosen);
            setMode('code');
          }}
        />
      ) : mode === 'recovery' ? (
        <RecoveryCode transaction={transaction} onClosed={onClosed} onBack={() => setMode('code')} />
      ) : factor?.type === 'push' ? (
        <PushSignIn
          key={factor.id}
          transaction={transaction}
          factor={factor}
          onVerified={(next) => { update(next); navigate(pathFor(next), { replace: true }); }}
          onProblem={(error) => { const reason = closedReason(error); if (reason) onClosed(reason); }}
        />
      ) : factor ? (
        <CodeStep key={factor.id} transaction={transaction} factor={factor} onClosed={onClosed} />
      ) : null}
      {mode !== 'choose' || transaction.recoveryAvailable ? (
        <div className="side-actions">
          {mode !== 'choose' && others.length > 0 ? <LinkButton onPress={() => setMode('choose')}>{t('signIn.useAnotherMethod')}</LinkButton> : null}
          {mode !== 'recovery' && transaction.recoveryAvailable ? (
            <LinkButton onPress={() => setMode('recovery')}>{t('signIn.useRecoveryCode')}</LinkButton>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function ChooseMethod({ factors, current, onChosen }: { factors: readonly TransactionFactor[]; current: string; onChosen: (id: string) => void }) {
  const t = useT();
  const [chosen, setChosen] = useState(current);
  return (
    <>
      <PageHeading>{t('signIn.chooseMethod')}</PageHeading>
      <Form className="form" onSubmit={(event) => { event.preventDefault(); onChosen(chosen); }}>
        <RadioGroup className="radio-group" value={chosen} onChange={setChosen}>
          <Label className="visually-hidden">{t('signIn.chooseMethod')}</Label>
          {factors.map((factor) => (
            <Radio key={factor.id} value={factor.id} className="radio" isDisabled={factor.locked}>
              {t(factor.locked ? 'signIn.factorLocked' : 'signIn.factorOption', { method: t(`common.method.${factor.type}`), destination: destinationOf(factor.label) })}
            </Radio>
          ))}
        </RadioGroup>
        <PrimaryButton>{t('protect.continue')}</PrimaryButton>
      </Form>
    </>
  );
}

function CodeStep({ transaction, factor, onClosed }: { transaction: Transaction; factor: TransactionFactor; onClosed: (reason: 'failed' | 'expired') => void }) {
  const t = useT();
  const errorText = useErrorText();
  const update = useTransactionUpdate();
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const sendsCodes = factor.type === 'sms' || factor.type === 'email';
  const [sentAt, setSentAt] = useState(() => lastSent(transaction.id, factor.id));
  const secondsLeft = useCountdown(sentAt === null ? null : sentAt + RESEND_AFTER_MS);

  const send = useMutation({
    mutationFn: () => sendChallenge(api, transaction, factor.id),
    onSuccess: () => {
      const now = Date.now();
      markSent(transaction.id, factor.id, now);
      setSentAt(now);
    },
    onError: (error) => {
      const reason = closedReason(error);
      if (reason) onClosed(reason);
      // Within the 30 seconds after the last code (sent at set-up, say), the server asks to wait:
      // that is the countdown, not an error.
      const wait = resendWaitSeconds(error);
      if (wait !== null) setSentAt(Date.now() - RESEND_AFTER_MS + wait * 1000);
    },
  });
  // A text message or email goes out when its method is shown, once: a reload does not send another.
  useEffect(() => {
    if (sendsCodes && !factor.locked && lastSent(transaction.id, factor.id) === null) send.mutate();
    // Only when the factor shown changes (this component is keyed by it).
  }, []);

  const verify = useMutation({
    mutationFn: () => checkCode(api, transaction, factor.id, code),
    onSuccess: (next) => {
      update(next);
      navigate(pathFor(next), { replace: true });
    },
    onError: (error) => {
      const reason = closedReason(error);
      if (reason) onClosed(reason);
      setCode('');
    },
  });

  const error = verify.error ?? (resendWaitSeconds(send.error) === null ? send.error : null);
  const intro = factor.type === 'sms' || factor.type === 'email'
    ? t(`signIn.verifyIntro.${factor.type}`, { destination: destinationOf(factor.label) })
    : t(`signIn.verifyIntro.${factor.type}`);

  return (
    <>
      <PageHeading>{t('signIn.verifyTitle')}</PageHeading>
      <p>{intro}</p>
      <ErrorAlert message={errorText(error)} />
      <Notice message={notice} />
      <Form className="form" onSubmit={submitOnce(verify.isPending, () => { setNotice(null); verify.mutate(); })}>
        <CodeInput label={t('signIn.code')} hint={t('signIn.codeHint')} name="code" isRequired value={code} onChange={setCode} />
        <PrimaryButton isPending={verify.isPending}>{t('signIn.verify')}</PrimaryButton>
      </Form>
      {sendsCodes ? (
        <div className="resend">
          <SecondaryButton
            isDisabled={secondsLeft > 0 || send.isPending}
            onPress={() => {
              setNotice(t('signIn.codeSent'));
              send.mutate();
            }}
          >
            {t('signIn.resend')}
          </SecondaryButton>
          {secondsLeft > 0 ? <span className="countdown">{t('signIn.resendIn', { seconds: secondsLeft })}</span> : null}
        </div>
      ) : null}
    </>
  );
}

function RecoveryCode({ transaction, onClosed, onBack }: { transaction: Transaction; onClosed: (reason: 'failed' | 'expired') => void; onBack: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const update = useTransactionUpdate();
  const [code, setCode] = useState('');
  const recover = useMutation({
    mutationFn: () => checkRecoveryCode(api, transaction, code),
    onSuccess: (next) => {
      update(next);
      navigate(pathFor(next), { replace: true });
    },
    onError: (error) => {
      const reason = closedReason(error);
      if (reason) onClosed(reason);
    },
  });
  return (
    <>
      <PageHeading>{t('signIn.recoveryTitle')}</PageHeading>
      <p>{t('signIn.recoveryIntro')}</p>
      <ErrorAlert message={errorText(recover.error)} />
      <Form className="form" onSubmit={submitOnce(recover.isPending, () => { recover.mutate(); })}>
        <CodeInput label={t('signIn.recoveryCode')} name="recoveryCode" numeric={false} isRequired value={code} onChange={setCode} />
        <PrimaryButton isPending={recover.isPending}>{t('signIn.verify')}</PrimaryButton>
      </Form>
      <LinkButton onPress={onBack}>{t('signIn.useSecurityCode')}</LinkButton>
    </>
  );
}
