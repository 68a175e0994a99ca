/**
 * A member's locks: their password (too many wrong passwords), each method (too many wrong codes)
 * and their recovery codes (too many tried), each with when it ends, in the administrator's language
 * and time zone. Unlock ends one kind or all of them early, after a confirmation; the methods stay set up.
 */
import { useState } from 'react';
import { ErrorAlert, Notice } from '../../../components/Alert.tsx';
import { SecondaryButton } from '../../../components/Buttons.tsx';
import { useErrorText, useT } from '../../../i18n/I18n.tsx';
import { destinationOf } from '../../sign-in/destination.ts';
import { ConfirmDialog } from '../components.tsx';
import type { Member } from '../queries.ts';
import { useUnlockMember, type UnlockWhat } from './memberQueries.ts';

export function MemberLocks({ member }: { member: Member }) {
  const t = useT();
  const errorText = useErrorText();
  const unlock = useUnlockMember(member.id);
  const [asking, setAsking] = useState<UnlockWhat | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const lockedFactors = member.twoStepVerification.factors.filter((factor) => factor.locked);
  const until = (when: string | null) => (when ? t('adminMembers.locks.until', { when: new Date(when) }) : t('adminMembers.locks.untilReset'));
  const kinds: UnlockWhat[] = [
    ...(member.passwordLock ? ['password' as const] : []),
    ...(lockedFactors.length > 0 ? ['factors' as const] : []),
    ...(member.recoveryLock ? ['recovery' as const] : []),
    ...(member.pushLock ? ['push' as const] : []),
  ];

  return (
    <section aria-labelledby="member-locks-title">
      <h3 id="member-locks-title">{t('adminMembers.locks.title')}</h3>
      {kinds.length === 0 ? <p>{t('adminMembers.locks.none')}</p> : (
        <ul className="lock-list">
          {member.passwordLock ? <li>{t('adminMembers.locks.password', { until: until(member.passwordLock.lockedUntil) })}</li> : null}
          {lockedFactors.map((factor) => (
            <li key={factor.id}>
              {t('adminMembers.locks.factor', { method: t(`common.method.${factor.type}`), destination: destinationOf(factor.label), until: until(factor.lockedUntil) })}
            </li>
          ))}
          {member.recoveryLock ? <li>{t('adminMembers.locks.recovery', { until: until(member.recoveryLock.lockedUntil) })}</li> : null}
          {member.pushLock ? <li>{t('adminMembers.locks.push', { when: new Date(member.pushLock.lockedAt) })}</li> : null}
        </ul>
      )}
      <ErrorAlert message={errorText(unlock.error)} />
      <Notice message={notice} />
      {kinds.length > 0 ? (
        <div className="actions">
          {kinds.map((what) => (
            <SecondaryButton key={what} isDisabled={unlock.isPending} onPress={() => { setNotice(null); setAsking(what); }}>
              {t(`adminMembers.unlock.${what}`)}
            </SecondaryButton>
          ))}
          {kinds.length > 1 ? (
            <SecondaryButton isDisabled={unlock.isPending} onPress={() => { setNotice(null); setAsking('all'); }}>{t('adminMembers.unlock.all')}</SecondaryButton>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog
        isOpen={asking !== null}
        title={asking ? t(`adminMembers.unlock.${asking}`) : ''}
        confirmLabel={t('adminMembers.unlock.confirm')}
        cancelLabel={t('admin.cancel')}
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          const what = asking;
          setAsking(null);
          if (what) unlock.mutate(what, { onSuccess: () => setNotice(t('adminMembers.unlock.done', { name: member.name })) });
        }}
      >
        <p>{asking ? t(`adminMembers.unlock.${asking}Warning`, { name: member.name }) : null}</p>
      </ConfirmDialog>
    </section>
  );
}
