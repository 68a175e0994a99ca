/**
 * Global Settings → Password policy: the minimum strength of a new password, how many days a
 * password lasts (0: it does not expire) and how many days before that the member is told, and
 * whether a password an administrator sets must be changed at the next sign-in. It is saved with
 * the rest of Global Settings by Save Changes.
 */
import { useId } from 'react';
import { Label, Radio, RadioGroup } from 'react-aria-components';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client.ts';
import type { paths } from '../../../api/schema.d.ts';
import { useT } from '../../../i18n/I18n.tsx';
import { CheckField } from '../components.tsx';

export type PasswordPolicy = paths['/api/v1/settings/password-policy']['put']['requestBody']['content']['application/json'];
const STRENGTHS: ReadonlyArray<PasswordPolicy['minimumStrength']> = ['good', 'strong', 'excellent'];
const policyKey = ['admin', 'settings', 'password-policy'] as const;

export const usePasswordPolicy = () => useQuery({ queryKey: policyKey, queryFn: () => unwrap(api.GET('/api/v1/settings/password-policy')) });

export function useSavePasswordPolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (policy: PasswordPolicy) => unwrap(api.PUT('/api/v1/settings/password-policy', { body: policy })),
    onSuccess: (saved) => {
      client.setQueryData(policyKey, saved);
      // Members' pages show the rule beside a new password.
      void client.invalidateQueries({ queryKey: ['me'] });
    },
  });
}

export const samePolicy = (a: PasswordPolicy, b: PasswordPolicy): boolean =>
  a.minimumStrength === b.minimumStrength && a.maximumAgeDays === b.maximumAgeDays
  && a.expiryNoticeDays === b.expiryNoticeDays && a.adminChangeForcesChange === b.adminChangeForcesChange;

interface Props {
  readonly policy: PasswordPolicy;
  readonly onChange: (changes: Partial<PasswordPolicy>) => void;
}

export function PasswordPolicySection({ policy, onChange }: Props) {
  const t = useT();
  const ids = { age: useId(), notice: useId(), ageHint: useId(), noticeHint: useId() };
  // A day count as typed; an empty or partial field counts as 0 until it holds a number.
  const days = (text: string) => Math.max(0, Math.trunc(Number(text) || 0));
  return (
    <section className="policy-section" aria-labelledby="password-policy-title">
      <h2 id="password-policy-title" className="section-heading">{t('adminMembers.policy.title')}</h2>
      <RadioGroup className="radio-group" value={policy.minimumStrength} onChange={(value) => onChange({ minimumStrength: value as PasswordPolicy['minimumStrength'] })}>
        <Label className="field-label">{t('adminMembers.policy.minimumStrength')}</Label>
        {STRENGTHS.map((strength) => (
          <Radio key={strength} className="radio" value={strength}>
            <span className="radio-text">
              {t(`adminMembers.policy.strength.${strength}`)}
              <span className="method-note">{t(`adminMembers.policy.strengthRule.${strength}`)}</span>
            </span>
          </Radio>
        ))}
      </RadioGroup>
      <div className="field">
        <label className="field-label" htmlFor={ids.age}>{t('adminMembers.policy.maximumAge')}</label>
        <input id={ids.age} className="field-input narrow" type="number" min={0} max={3650} inputMode="numeric" aria-describedby={ids.ageHint}
          value={policy.maximumAgeDays} onChange={(event) => onChange({ maximumAgeDays: days(event.target.value) })} />
        <span id={ids.ageHint} className="field-hint">{t('adminMembers.policy.maximumAgeHint')}</span>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={ids.notice}>{t('adminMembers.policy.expiryNotice')}</label>
        <input id={ids.notice} className="field-input narrow" type="number" min={0} max={365} inputMode="numeric" aria-describedby={ids.noticeHint}
          value={policy.expiryNoticeDays} disabled={policy.maximumAgeDays === 0} onChange={(event) => onChange({ expiryNoticeDays: days(event.target.value) })} />
        <span id={ids.noticeHint} className="field-hint">{t('adminMembers.policy.expiryNoticeHint')}</span>
      </div>
      <CheckField isSelected={policy.adminChangeForcesChange} onChange={(adminChangeForcesChange) => onChange({ adminChangeForcesChange })}>
        {t('adminMembers.policy.adminChangeForcesChange')}
      </CheckField>
    </section>
  );
}
