/**
 * "Protect your account": shown after the password when two-step verification applies and nothing is
 * set up. The primary method first, then optional backups, then Activate, which answers the recovery
 * codes once. The progress is visible, and the transaction alone says where a reload resumes.
 */
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Form } from 'react-aria-components';
import { activate as activateTwoStep } from '@twofold/client';
import { api, type MethodId, type Transaction } from '../../api/client.ts';
import { navigate } from '../../app/router.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { PrimaryButton, SecondaryButton, submitOnce } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { TextInput } from '../../components/TextInput.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import { ClosedTransaction, closedReason } from '../sign-in/ClosedTransaction.tsx';
import { signInPaths } from '../sign-in/paths.ts';
import { pathFor, rememberedTransaction, useTransaction, useTransactionUpdate } from '../sign-in/transaction.ts';
import { ProveIt } from './ProveIt.tsx';
import { RecoveryCodes } from './RecoveryCodes.tsx';
import { SetUpMethod, transactionBinding } from './SetUpMethod.tsx';
import { backupMethods, backupsDoneFor, confirmedMethods, markBackupsDone, phaseOf, primaryMethodOf, type Phase } from './progress.ts';
import { stepOf } from '../sign-in/steps.ts';
import type { ReactNode } from 'react';

export default function ProtectAccountPage() {
  const [id] = useState(rememberedTransaction);
  const transaction = useTransaction(id);
  const [closed, setClosed] = useState<'failed' | 'expired' | null>(null);
  // Activate's answer: the recovery codes, held in memory only, shown this once.
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  useEffect(() => {
    if (id === null && recoveryCodes === null) navigate(signInPaths.signIn, { replace: true });
  }, [id, recoveryCodes]);
  useEffect(() => {
    if (recoveryCodes === null && transaction.data && transaction.data.state !== 'setup') navigate(pathFor(transaction.data), { replace: true });
  }, [transaction.data, recoveryCodes]);

  const [backupsDone, setBackupsDone] = useState(() => (id ? backupsDoneFor(id) : false));
  // This tab proved the member holds a switched-off factor: the step stays in the progress, done.
  const [proved, setProved] = useState(false);

  const reason = closed ?? closedReason(transaction.error);
  if (reason) return <ClosedTransaction reason={reason} />;
  const data = transaction.data;
  if (!recoveryCodes && (!data || data.state !== 'setup')) return null;
  // One frame for every step, so that only the step's own heading is new (and takes the focus).
  return (
    <ProtectFrame phase={recoveryCodes || !data ? 'done' : phaseOf(data, backupsDone)} transaction={data} proved={proved}>
      {recoveryCodes || !data ? (
        <RecoveryCodes codes={recoveryCodes ?? []} />
      ) : (
        <SetUp
          transaction={data}
          backupsDone={backupsDone}
          onProved={() => setProved(true)}
          onBackupsDone={() => {
            markBackupsDone(data.id);
            setBackupsDone(true);
          }}
          onProblem={(error) => {
            const closedNow = closedReason(error);
            if (closedNow) setClosed(closedNow);
          }}
          onActivated={setRecoveryCodes}
        />
      )}
    </ProtectFrame>
  );
}

interface SetUpProps {
  readonly transaction: Transaction;
  readonly backupsDone: boolean;
  readonly onProved: () => void;
  readonly onBackupsDone: () => void;
  readonly onProblem: (error: unknown) => void;
  readonly onActivated: (codes: string[]) => void;
}

function SetUp({ transaction, backupsDone, onProved, onBackupsDone, onProblem, onActivated }: SetUpProps) {
  const t = useT();
  const update = useTransactionUpdate();
  const [backup, setBackup] = useState<MethodId | null>(null);
  const phase = phaseOf(transaction, backupsDone);
  const step = stepOf(transaction, backupsDone);
  const primary = step.kind === 'set-up' ? step.method : primaryMethodOf(transaction);

  if (phase === 'proof') {
    return <ProveIt transaction={transaction} onProved={(next) => { onProved(); update(next); }} onProblem={onProblem} />;
  }
  if (phase === 'primary') {
    return <SetUpMethod key="primary" binding={transactionBinding(transaction)} method={primary} backup={false} onConfirmed={update} onProblem={onProblem} />;
  }
  if (phase === 'backup' && backup) {
    return <SetUpMethod key={backup} binding={transactionBinding(transaction)} method={backup} backup onConfirmed={(next) => { setBackup(null); update(next); }} onProblem={onProblem} />;
  }
  if (phase === 'backup') {
    return (
      <div className="step">
        <PageHeading level={2}>{t('protect.stepBackup')}</PageHeading>
        <p>{t('protect.backupIntro')}</p>
        <p>{t('protect.backupDone', { methods: confirmedMethods(transaction).map((method) => t(`common.method.${method}`)).join(', ') })}</p>
        <div className="actions">
          {backupMethods(transaction).map((method) => (
            <SecondaryButton key={method} onPress={() => setBackup(method)}>
              {t(`protect.setUp.${method}`)}
            </SecondaryButton>
          ))}
          <SecondaryButton onPress={onBackupsDone}>{confirmedMethods(transaction).length > 1 ? t('protect.continue') : t('protect.skipBackup')}</SecondaryButton>
        </div>
      </div>
    );
  }
  return <Activate transaction={transaction} onProblem={onProblem} onActivated={onActivated} />;
}

function Activate({ transaction, onProblem, onActivated }: { transaction: Transaction; onProblem: (error: unknown) => void; onActivated: (codes: string[]) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const update = useTransactionUpdate();
  const [setupCode, setSetupCode] = useState('');
  const required = transaction.setup?.setupCodeRequired ?? false;
  const activate = useMutation({
    mutationFn: () => activateTwoStep(api, transaction, required ? setupCode : undefined),
    onSuccess: (next) => {
      onActivated(next.recoveryCodes ?? []);
      update(next);
    },
    onError: onProblem,
  });
  return (
    <div className="step">
      <PageHeading level={2}>{t('protect.stepActivate')}</PageHeading>
      <p>{t('protect.backupDone', { methods: confirmedMethods(transaction).map((method) => t(`common.method.${method}`)).join(', ') })}</p>
      <p>{t('protect.activateIntro')}</p>
      <ErrorAlert message={errorText(activate.error)} />
      <Form className="form" onSubmit={submitOnce(activate.isPending, () => { activate.mutate(); })}>
        {required ? (
          <TextInput label={t('protect.setupCode')} hint={t('protect.setupCodeHint')} name="setupCode" autoComplete="off" spellCheck={false} isRequired value={setupCode} onChange={setSetupCode} />
        ) : null}
        <PrimaryButton isPending={activate.isPending}>{t('protect.activate')}</PrimaryButton>
      </Form>
    </div>
  );
}

/** The page's title and the steps, the current one marked for assistive technology too. */
function ProtectFrame({ phase, transaction, proved, children }: { phase: Phase | 'done'; transaction: Transaction | undefined; proved: boolean; children: ReactNode }) {
  const t = useT();
  const primary = transaction ? primaryMethodOf(transaction) : 'totp';
  const proofShown = phase === 'proof' || proved;
  const steps: Array<{ key: Phase | 'done'; label: string }> = [
    ...(proofShown ? [{ key: 'proof' as const, label: t('setupProof.proofStep') }] : []),
    { key: 'primary', label: t(`protect.setUp.${primary}`) },
    { key: 'backup', label: t('protect.stepBackup') },
    { key: 'activate', label: t('protect.stepActivate') },
  ];
  const order: Array<Phase | 'done'> = [...(proofShown ? ['proof' as const] : []), 'primary', 'backup', 'activate', 'done'];
  const current = order.indexOf(phase);
  return (
    <section className="card wide">
      <PageHeading>{t('protect.title')}</PageHeading>
      <p>{t('protect.intro')}</p>
      {transaction?.setup?.setupCodeRequired && phase !== 'done' ? <p className="alert notice">{t('setupProof.setupCodeAhead')}</p> : null}
      <nav aria-label={t('protect.progress')}>
        <ol className="progress">
          {steps.map((step, index) => (
            <li key={step.key} className={index < current ? 'done' : index === current ? 'current' : 'todo'} aria-current={index === current ? 'step' : undefined}>
              <span className="progress-number" aria-hidden="true">{index < current ? '✓' : index + 1}</span>
              <span>{index < current ? t('protect.stepDone', { step: step.label }) : step.label}</span>
            </li>
          ))}
        </ol>
        {current < steps.length ? <p className="progress-text">{t('protect.stepOf', { current: current + 1, total: steps.length })}</p> : null}
      </nav>
      <Notice message={proved && phase === 'primary' ? t('setupProof.proofDone') : null} />
      {children}
    </section>
  );
}
