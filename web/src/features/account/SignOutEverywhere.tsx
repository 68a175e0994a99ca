/**
 * "Sign out everywhere" on the account page: ends every session of the member, this one included
 * (POST /api/v1/me/sign-out-everywhere), after asking once in place. The question takes the focus so
 * a screen reader reads it; Cancel (or Escape) puts the focus back on the button.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../components/Alert.tsx';
import { PrimaryButton, SecondaryButton } from '../../components/Buttons.tsx';
import { navigate } from '../../app/router.ts';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import { signInPaths } from '../sign-in/paths.ts';
import { meKey } from './queries.ts';

export function SignOutEverywhere() {
  const t = useT();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const questionId = useId();
  const question = useRef<HTMLDivElement>(null);
  const signOut = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/sign-out-everywhere')),
    onSuccess: () => {
      client.removeQueries({ queryKey: meKey });
      navigate(`${signInPaths.signIn}?done=everywhere`);
    },
  });
  useEffect(() => {
    if (asking) question.current?.focus();
  }, [asking]);

  return (
    <section className="sessions" aria-labelledby={`${questionId}-title`}>
      <h2 id={`${questionId}-title`}>{t('sessions.title')}</h2>
      <p>{t('sessions.explanation')}</p>
      <ErrorAlert message={errorText(signOut.error)} />
      {asking ? (
        <div
          ref={question}
          tabIndex={-1}
          role="group"
          aria-labelledby={`${questionId}-question`}
          aria-describedby={`${questionId}-text`}
          className="confirm-box"
          onKeyDown={(event) => { if (event.key === 'Escape') setAsking(false); }}
        >
          <h3 id={`${questionId}-question`}>{t('sessions.confirmTitle')}</h3>
          <p id={`${questionId}-text`}>{t('sessions.confirmText')}</p>
          <div className="actions">
            <PrimaryButton type="button" isPending={signOut.isPending} onPress={() => { if (!signOut.isPending) signOut.mutate(); }}>
              {t('sessions.confirm')}
            </PrimaryButton>
            <SecondaryButton onPress={() => setAsking(false)}>{t('sessions.cancel')}</SecondaryButton>
          </div>
        </div>
      ) : (
        <div className="actions">
          <SecondaryButton onPress={() => setAsking(true)}>{t('sessions.signOutEverywhere')}</SecondaryButton>
        </div>
      )}
    </section>
  );
}
