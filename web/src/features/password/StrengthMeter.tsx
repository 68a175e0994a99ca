/**
 * The organization's password rule as a new password is typed: the strength on the server's scale
 * (Weak, Good, Strong, Excellent) against the minimum, and each rule met or not. It runs the server's
 * own pure functions (src/core/passwordStrength.ts), so "enough" here is what the server accepts.
 * Everything is said in words and symbols as well as colour, and one polite status line tells a
 * screen reader when the verdict changes (not at every key).
 */
import { Label, Meter } from 'react-aria-components';
import { MAXIMUM_PASSWORD_LENGTH, MINIMUM_PASSWORD_LENGTH, passwordRules, passwordStrength } from '../../../../src/core/passwordStrength.ts';
import { useT } from '../../i18n/I18n.tsx';

export type MinimumStrength = 'good' | 'strong' | 'excellent';
const LEVELS = ['weak', 'good', 'strong', 'excellent'] as const;

export function StrengthMeter({ password, minimumStrength }: { password: string; minimumStrength: MinimumStrength }) {
  const t = useT();
  const level = passwordStrength(password);
  const rules = passwordRules(password, minimumStrength);
  const enough = rules.every((rule) => rule.met);
  const values = { level, minimum: minimumStrength };
  const status = password === '' ? t('strength.status.empty', values) : t(enough ? 'strength.status.enough' : 'strength.status.short', values);
  return (
    <div className="strength" data-enough={enough}>
      <Meter className="strength-meter" value={LEVELS.indexOf(level)} minValue={0} maxValue={LEVELS.length - 1} valueLabel={t('strength.level', { level })}>
        {({ valueText }) => (
          <>
            <div className="strength-head">
              <Label>{t('strength.meter')}</Label>
              <span className="strength-value">{password === '' ? '' : valueText}</span>
            </div>
            <div className="strength-bar" aria-hidden="true"><div className="strength-fill" data-level={password === '' ? 'none' : level} /></div>
          </>
        )}
      </Meter>
      <p role="status" className="strength-status">{status}</p>
      <ul className="strength-rules" aria-label={t('strength.rules')}>
        {rules.map(({ rule, met }) => (
          <li key={rule} data-met={met}>
            <span className="strength-mark" aria-hidden="true">{met ? '✓' : '○'}</span>
            <span>{t(`strength.rule.${rule}`, { count: rule === 'maximum_length' ? MAXIMUM_PASSWORD_LENGTH : MINIMUM_PASSWORD_LENGTH })}</span>
            <span className="visually-hidden">{` (${t(met ? 'strength.met' : 'strength.notMet')})`}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
