/**
 * Setting up one method inside "Protect your account": the mobile app (QR code, and the key as text
 * in groups of four for any TOTP app), a text message (phone number, then the code, Finish text
 * setup) or an email (address, then the code). Done when the server confirms the code.
 */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Form } from 'react-aria-components';
import { bindFactor, confirmFactor, totpSecretOf } from '@twofold/client';
import { api, type MethodId, type Transaction } from '../../api/client.ts';
import { ErrorAlert } from '../../components/Alert.tsx';
import { LinkButton, PrimaryButton, submitOnce } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { CodeInput, TextInput, normalizeCode } from '../../components/TextInput.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import { groupsOfFour } from './secret.ts';
import { destinationOf } from '../sign-in/destination.ts';
import { PushSetUp, type PushBinding } from '../push/PushSetUp.tsx';
import { transactionPushBinding } from '../push/bindings.ts';

export interface Bound { readonly id: string; readonly label: string; readonly qrCodeSvg?: string; readonly otpauthUri?: string }

/** Where a method is set up: a sign-in's set-up transaction, or the signed-in member's account. */
export interface MethodBinding<T> {
  readonly bind: (body: { type: MethodId; phoneNumber?: string; email?: string }) => Promise<Bound>;
  readonly confirm: (factorId: string, code: string) => Promise<T>;
  /** The authenticator app notification, confirmed by a signed approval rather than a code. */
  readonly push?: PushBinding<T>;
}

export function transactionBinding(transaction: Transaction): MethodBinding<Transaction> {
  return {
    bind: (body) => bindFactor(api, transaction, body),
    confirm: (factorId, code) => confirmFactor(api, transaction, factorId, code),
    push: transactionPushBinding(transaction.id),
  };
}

export interface SetUpMethodProps<T> {
  readonly binding: MethodBinding<T>;
  readonly method: MethodId;
  /** A backup text message is titled "Set up backup text messages". */
  readonly backup: boolean;
  readonly onConfirmed: (next: T) => void;
  readonly onProblem: (error: unknown) => void;
}

export function SetUpMethod<T>(props: SetUpMethodProps<T>) {
  const t = useT();
  if (props.method === 'push' && props.binding.push) {
    return <PushSetUp binding={props.binding.push} title={t('protect.setUp.push')} onConfirmed={props.onConfirmed} onProblem={props.onProblem} />;
  }
  return <CodeMethodSetUp {...props} />;
}

function CodeMethodSetUp<T>({ binding, method, backup, onConfirmed, onProblem }: SetUpMethodProps<T>) {
  const t = useT();
  const errorText = useErrorText();
  const [destination, setDestination] = useState('');
  const [bound, setBound] = useState<Bound | null>(null);
  const [code, setCode] = useState('');

  const bind = useMutation({
    mutationFn: () => binding.bind(
      method === 'sms' ? { type: method, phoneNumber: destination } : method === 'email' ? { type: method, email: destination } : { type: method },
    ),
    onSuccess: (factor) => {
      setCode('');
      setBound(factor);
    },
    onError: onProblem,
  });
  const confirm = useMutation({
    mutationFn: (factorId: string) => binding.confirm(factorId, normalizeCode(code)),
    onSuccess: onConfirmed,
    onError: (error) => {
      setCode('');
      onProblem(error);
    },
  });
  const error = confirm.error ?? bind.error;
  const alert = errorText(error);
  const title = method === 'sms' && backup ? t('protect.textBackupTitle') : t(`protect.setUp.${method}`);

  if (!bound) {
    return (
      <div className="step">
        <PageHeading level={2}>{title}</PageHeading>
        <p>{t(method === 'totp' ? 'protect.mobileIntro' : method === 'sms' ? 'protect.textIntro' : 'protect.emailIntro')}</p>
        <ErrorAlert message={alert} />
        <Form className="form" onSubmit={submitOnce(bind.isPending, () => { bind.mutate(); })}>
          {method === 'sms' ? (
            <TextInput label={t('protect.phone')} hint={t('protect.phoneHint')} name="phone" type="tel" autoComplete="tel" inputMode="tel" isRequired value={destination} onChange={setDestination} />
          ) : null}
          {method === 'email' ? (
            <TextInput label={t('protect.emailAddress')} name="email" type="email" autoComplete="email" inputMode="email" isRequired value={destination} onChange={setDestination} />
          ) : null}
          <PrimaryButton isPending={bind.isPending}>{t('protect.next')}</PrimaryButton>
        </Form>
      </div>
    );
  }

  const secret = bound.otpauthUri ? totpSecretOf(bound.otpauthUri) : null;
  const verifyTitle = method === 'sms' ? t('protect.verifyPhoneTitle') : method === 'email' ? t('protect.verifyEmailTitle') : title;
  return (
    <div className="step" key={bound.id}>
      <PageHeading level={2}>{verifyTitle}</PageHeading>
      {method === 'totp' ? (
        <>
          {bound.qrCodeSvg ? (
            <img className="qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(bound.qrCodeSvg)}`} alt={t('protect.qrAlt')} width={200} height={200} />
          ) : null}
          {secret ? (
            <>
              <p>{t('protect.cantScan')}</p>
              <p className="secret-row">
                <span className="secret-label" id="secret-label">{t('protect.secretLabel')}</span>
                <code className="secret" data-testid="totp-secret" aria-labelledby="secret-label">
                  {groupsOfFour(secret).join(' ')}
                </code>
              </p>
            </>
          ) : null}
        </>
      ) : (
        <p>{t('protect.sentTo', { destination: destinationOf(bound.label) })}</p>
      )}
      <ErrorAlert message={alert} />
      <Form className="form" onSubmit={submitOnce(confirm.isPending, () => { confirm.mutate(bound.id); })}>
        <CodeInput label={t(method === 'totp' ? 'protect.mobileCode' : 'protect.codeLabel')} name="code" isRequired value={code} onChange={setCode} />
        <PrimaryButton isPending={confirm.isPending}>
          {t(method === 'sms' ? 'protect.finishText' : method === 'email' ? 'protect.finishEmail' : 'protect.verifyApp')}
        </PrimaryButton>
      </Form>
      <LinkButton onPress={() => { bind.reset(); confirm.reset(); setBound(null); }}>
        {t(method === 'totp' ? 'protect.pairAgain' : 'protect.changeDestination')}
      </LinkButton>
    </div>
  );
}
