/** The language selector: each language named in itself, with its `lang` so screen readers say it right. */
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';
import { LANGUAGES, LANGUAGE_NAMES, isLanguage } from '../i18n/languages.ts';
import { useLanguage, useT } from '../i18n/I18n.tsx';

export function LanguageSelect() {
  const t = useT();
  const { language, setLanguage } = useLanguage();
  return (
    <Select
      className="language-select"
      selectedKey={language}
      onSelectionChange={(key) => {
        if (isLanguage(key)) setLanguage(key);
      }}
    >
      <Label className="language-label">{t('common.language')}</Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true" className="chevron">▾</span>
      </Button>
      <Popover className="popover">
        <ListBox className="listbox">
          {LANGUAGES.map((code) => (
            <ListBoxItem key={code} id={code} className="listbox-item" textValue={LANGUAGE_NAMES[code]} lang={code}>
              {LANGUAGE_NAMES[code]}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}
