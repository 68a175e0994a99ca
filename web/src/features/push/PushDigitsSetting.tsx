/**
 * Global Settings → how many digits a member types into the authenticator to approve: 2 by default,
 * 6 for an organization that wants more than a glance (an organization setting of its own, saved
 * apart from the methods, so it asks nothing of the members already set up).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Label, Radio, RadioGroup } from 'react-aria-components';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert, Notice } from '../../components/Alert.tsx';
import { PrimaryButton, submitOnce } from '../../components/Buttons.tsx';
import { useErrorText, useT } from '../../i18n/I18n.tsx';
import './push.css';

type Digits = 2 | 6;
const KEY = ['organization-settings'] as const;

export function PushDigitsSetting() {
  const t = useT();
  const errorText = useErrorText();
  const client = useQueryClient();
  const saved = useQuery({ queryKey: KEY, queryFn: () => unwrap(api.GET('/api/v1/organization/settings')) });
  const [digits, setDigits] = useState<Digits | null>(null);
  useEffect(() => { if (saved.data && digits === null) setDigits(saved.data.pushNumberDigits); }, [saved.data, digits]);
  const save = useMutation({
    mutationFn: (pushNumberDigits: Digits) => unwrap(api.PATCH('/api/v1/organization/settings', { body: { pushNumberDigits } })),
    onSuccess: (next) => client.setQueryData(KEY, next),
  });
  if (digits === null) return <ErrorAlert message={errorText(saved.error)} />;
  return (
    <form className="form admin-form push-digits" onSubmit={submitOnce(save.isPending, () => save.mutate(digits))}>
      <RadioGroup className="radio-group" value={String(digits)} onChange={(value) => { save.reset(); setDigits(value === '6' ? 6 : 2); }}>
        <Label className="field-label">{t('push.digitsLabel')}</Label>
        <Radio className="radio" value="2">{t('push.digits2')}</Radio>
        <Radio className="radio" value="6">{t('push.digits6')}</Radio>
      </RadioGroup>
      <ErrorAlert message={errorText(save.error)} />
      <Notice message={save.isSuccess ? t('push.digitsSaved', { digits }) : null} />
      <div className="actions">
        <PrimaryButton isPending={save.isPending}>{t('push.digitsSave')}</PrimaryButton>
      </div>
    </form>
  );
}
