/**
 * The recovery codes, shown once after Activate: copy, download as a text file, and a checkbox the
 * member ticks before going on, so that nobody leaves the page without having kept them.
 */
import { useState } from 'react';
import { Checkbox, Link } from 'react-aria-components';
import { Notice } from '../../components/Alert.tsx';
import { SecondaryButton } from '../../components/Buttons.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useT } from '../../i18n/I18n.tsx';
import { accountPaths } from '../account/paths.ts';

export function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone?: () => void }) {
  const t = useT();
  const [kept, setKept] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const text = () => `${t('protect.downloadFileHeader', { when: new Date() })}\n\n${codes.join('\n')}\n`;

  return (
    <div className="step">
      <PageHeading level={2}>{t('protect.recoveryTitle')}</PageHeading>
      <p>{t('protect.recoveryIntro')}</p>
      <ul className="recovery-codes" aria-label={t('protect.recoveryList', { count: codes.length })}>
        {codes.map((code) => <li key={code}><code>{code}</code></li>)}
      </ul>
      <div className="actions">
        <SecondaryButton
          onPress={() => {
            void navigator.clipboard.writeText(codes.join('\n')).then(() => setNotice(t('protect.copied')));
          }}
        >
          {t('protect.copy')}
        </SecondaryButton>
        <SecondaryButton
          onPress={() => {
            const url = URL.createObjectURL(new Blob([text()], { type: 'text/plain;charset=utf-8' }));
            const link = document.createElement('a');
            link.href = url;
            link.download = 'twofold-recovery-codes.txt';
            link.click();
            setTimeout(() => URL.revokeObjectURL(url), 1000);
          }}
        >
          {t('protect.download')}
        </SecondaryButton>
      </div>
      <Notice message={notice} />
      <Checkbox className="checkbox" isSelected={kept} onChange={setKept}>
        <span className="checkbox-box" aria-hidden="true">{kept ? '✓' : ''}</span>
        {t('protect.kept')}
      </Checkbox>
      {onDone ? (
        <SecondaryButton isDisabled={!kept} onPress={onDone}>{t('account.done')}</SecondaryButton>
      ) : (
        <Link className="button primary" href={accountPaths.account} isDisabled={!kept}>{t('protect.finish')}</Link>
      )}
    </div>
  );
}
