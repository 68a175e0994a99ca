/**
 * "Confirm with one of your methods": what changing methods or recovery codes asks for first
 * (`reauthentication_required`). A code from the chosen method; a text message or email is sent on
 * request; an authenticator app notification is approved on the device. Counts for ten minutes on the server.
 */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { api, unwrap, type MethodId } from '../../api/client.ts';
import { ErrorAlert } from '../../components/Alert.tsx';
import { PrimaryButton, SecondaryButton, submitOnce } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { CodeInput, normalizeCode } from '../../components/TextInput.tsx';
import { useT } from '../../i18n/I18n.tsx';
import { errorMessage } from '../../i18n/errors.ts';
import { destinationOf } from '../sign-in/destination.ts';
import { PushReauthenticate } from '../push/PushReauthenticate.tsx';

interface Factor { readonly id: string; readonly type: MethodId; readonly label: string; readonly locked: boolean }

interface ReauthenticateProps {
  readonly factors: readonly Factor[];
  readonly onDone: () => void;
  /** The method chosen before (a reload resumes with it); absent: the first usable one. */
  readonly chosenFactorId?: string | null;
  /** Told of each choice of method, so the page can remember it. */
  readonly onChoose?: (factorId: string) => void;
}

export function Reauthenticate({ factors, onDone, chosenFactorId, onChoose }: ReauthenticateProps) {
  const t = useT();
  const usable = factors.filter((factor) => !factor.locked);
  const [factorId, setChosen] = useState(usable.find((f) => f.id === chosenFactorId)?.id ?? usable[0]?.id ?? '');
  const setFactorId = (id: string) => {
    setChosen(id);
    onChoose?.(id);
  };
  const [code, setCode] = useState('');
  const factor = usable.find((f) => f.id === factorId);
  const send = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/reauthentication/challenges', { body: { factorId } })),
  });
  const verify = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/reauthentication', { body: { factorId, code: normalizeCode(code) } })),
    onSuccess: onDone,
    onError: () => setCode(''),
  });
  // The push flow says its own problems; these are the code flow's.
  const error = factor?.type === 'push' ? null : verify.error ?? send.error;
  const message = error ? errorMessage(error) : null;
  return (
    <div className="step">
      <PageHeading level={2}>{t('account.reauthTitle')}</PageHeading>
      <p>{t(factor?.type === 'push' ? 'push.reauthIntro' : 'account.reauthIntro')}</p>
      <ErrorAlert message={message ? t(message.id, message.values) : null} />
      {usable.length > 1 ? (
        <RadioGroup className="radio-group" value={factorId} onChange={setFactorId}>
          <Label className="visually-hidden">{t('signIn.chooseMethod')}</Label>
          {usable.map((f) => (
            <Radio key={f.id} value={f.id} className="radio">
              {t('signIn.factorOption', { method: t(`common.method.${f.type}`), destination: destinationOf(f.label) })}
            </Radio>
          ))}
        </RadioGroup>
      ) : null}
      {factor?.type === 'push' ? <PushReauthenticate key={factor.id} factorId={factor.id} onDone={onDone} /> : (
        <>
          {factor && factor.type !== 'totp' ? (
            <div className="actions"><SecondaryButton isDisabled={send.isPending} onPress={() => send.mutate()}>{t('account.sendCode')}</SecondaryButton></div>
          ) : null}
          <Form className="form" onSubmit={submitOnce(verify.isPending, () => verify.mutate())}>
            <CodeInput label={t('signIn.code')} hint={t('signIn.codeHint')} name="reauth-code" isRequired value={code} onChange={setCode} />
            <PrimaryButton isPending={verify.isPending}>{t('signIn.verify')}</PrimaryButton>
          </Form>
        </>
      )}
    </div>
  );
}
