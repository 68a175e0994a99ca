/**
 * The member's methods and recovery codes on the account page: remove a method, get a new set of
 * recovery codes (shown once). Both ask the member to confirm with a method first when the server
 * says so, then carry on with what was asked.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type MethodId } from '../../api/client.ts';
import { isProblem } from '../../api/problem.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { SecondaryButton } from '../../components/Buttons.tsx';
import { useT } from '../../i18n/I18n.tsx';
import { errorMessage } from '../../i18n/errors.ts';
import { RecoveryCodes } from '../protect-account/RecoveryCodes.tsx';
import { SetUpMethod, type MethodBinding } from '../protect-account/SetUpMethod.tsx';
import { destinationOf } from '../sign-in/destination.ts';
import { meKey } from './queries.ts';
import { Reauthenticate } from './Reauthenticate.tsx';
import { clearReauthProgress, readReauthProgress, saveReauthProgress, type Action, type ReauthProgress } from './reauthProgress.ts';
import { accountPushBinding } from '../push/bindings.ts';

interface Factor { readonly id: string; readonly type: MethodId; readonly label: string; readonly locked: boolean; readonly createdAt: string }
interface Adding { readonly method: MethodId; readonly replaces?: string }

/** Adding a method from the account, or re-pairing one ("Start pairing again"). */
function accountBinding(replacesFactorId: string | undefined): MethodBinding<unknown> {
  return {
    bind: (body) => unwrap(api.POST('/api/v1/me/factors', { body: { ...body, ...(replacesFactorId ? { replacesFactorId } : {}) } })),
    confirm: (id, code) => unwrap(api.POST('/api/v1/me/factors/{id}/confirm', { params: { path: { id } }, body: { code } })),
    push: accountPushBinding(replacesFactorId),
  };
}

/**
 * `allowedMethods`: what the server lets this member add here (`GET /api/v1/me`), the organization's
 * allowed methods in Global Settings; a method switched off is never offered, since adding it is refused.
 */
export function ManageTwoStep({ memberId, factors, allowedMethods }: { memberId: string; factors: readonly Factor[]; allowedMethods: readonly MethodId[] }) {
  const t = useT();
  const client = useQueryClient();
  const recovery = useQuery({ queryKey: ['recovery-codes'], queryFn: () => unwrap(api.GET('/api/v1/me/recovery-codes')) });
  // What waits for "Confirm with one of your methods", resumed after a reload (reauthProgress.ts).
  const [reauth, setReauth] = useState<ReauthProgress | null>(() => readReauthProgress(memberId));
  const keepReauth = (progress: ReauthProgress | null) => {
    if (progress) saveReauthProgress(progress);
    else clearReauthProgress();
    setReauth(progress);
  };
  const [notice, setNotice] = useState<string | null>(null);
  const [adding, setAdding] = useState<Adding | null>(null);
  const [addNeedsReauth, setAddNeedsReauth] = useState(false);
  const run = useMutation({
    mutationFn: async (action: Action): Promise<string[] | null> => {
      if (action.kind === 'remove') {
        await unwrap(api.DELETE('/api/v1/me/factors/{id}', { params: { path: { id: action.factorId } } }));
        return null;
      }
      return (await unwrap(api.POST('/api/v1/me/recovery-codes'))).recoveryCodes;
    },
    onSuccess: (codes) => {
      keepReauth(null);
      setNotice(codes ? null : t('account.methodRemoved'));
      void client.invalidateQueries({ queryKey: meKey });
      void client.invalidateQueries({ queryKey: ['recovery-codes'] });
    },
    onError: (error, action) => keepReauth(isProblem(error, 'reauthentication_required') ? { memberId, action, factorId: reauth?.factorId ?? null } : null),
  });
  const needsReauth = isProblem(run.error, 'reauthentication_required');
  const addable = allowedMethods.filter((method) => !factors.some((factor) => factor.type === method));
  const message = run.error && !needsReauth ? errorMessage(run.error) : null;

  return (
    <>
      {factors.length > 0 ? (
        <>
          <h3>{t('account.methodsTitle')}</h3>
          <ul className="plain-list factor-list">
            {factors.map((factor) => (
              <li key={factor.id}>
                <span>{t('account.methodRow', { method: t(`common.method.${factor.type}`), destination: destinationOf(factor.label), when: new Date(factor.createdAt) })}</span>
                <span className="actions inline">
                  {factor.type === 'totp' || factor.type === 'push' ? (
                    <SecondaryButton onPress={() => { setNotice(null); setAdding({ method: factor.type, replaces: factor.id }); }}>{t('protect.pairAgain')}</SecondaryButton>
                  ) : null}
                  <SecondaryButton isDisabled={run.isPending} onPress={() => run.mutate({ kind: 'remove', factorId: factor.id })}>
                    {t('account.removeMethod', { method: t(`common.method.${factor.type}`) })}
                  </SecondaryButton>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Notice message={notice} />
      <ErrorAlert message={message ? t(message.id, message.values) : null} />
      {reauth && !run.isPending ? (
        <Reauthenticate
          factors={factors}
          chosenFactorId={reauth.factorId}
          onChoose={(factorId) => keepReauth({ ...reauth, factorId })}
          onDone={() => run.mutate(reauth.action)}
        />
      ) : null}
      {addNeedsReauth ? <Reauthenticate factors={factors} onDone={() => setAddNeedsReauth(false)} /> : null}
      {adding ? (
        <SetUpMethod
          key={`${adding.method}-${adding.replaces ?? ''}`}
          binding={accountBinding(adding.replaces)}
          method={adding.method}
          backup={adding.method === 'sms'}
          onConfirmed={() => {
            setAdding(null);
            setNotice(t('account.methodAdded'));
            void client.invalidateQueries({ queryKey: meKey });
          }}
          onProblem={(error) => setAddNeedsReauth(isProblem(error, 'reauthentication_required'))}
        />
      ) : addable.length > 0 ? (
        <>
          <h3>{t('protect.stepBackup')}</h3>
          <div className="actions">
            {addable.map((method) => (
              <SecondaryButton key={method} onPress={() => { setNotice(null); setAdding({ method }); }}>{t(`protect.setUp.${method}`)}</SecondaryButton>
            ))}
          </div>
        </>
      ) : null}
      <h3>{t('account.recoveryTitle')}</h3>
      {recovery.data ? <p>{t('account.recoveryLeft', { count: recovery.data.remaining })}</p> : null}
      {run.data ? (
        <RecoveryCodes codes={run.data} onDone={() => run.reset()} />
      ) : (
        <>
          <p>{t('account.newRecoveryCodesNote')}</p>
          <SecondaryButton isDisabled={run.isPending} onPress={() => run.mutate({ kind: 'recovery' })}>{t('account.newRecoveryCodes')}</SecondaryButton>
        </>
      )}
    </>
  );
}
