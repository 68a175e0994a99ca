/**
 * Creating members by import: a CSV or JSON file (chosen, or pasted and edited in place) is first
 * checked by the server's dry run, which lists every bad row with its field; nothing is saved until
 * the whole file is good and the administrator clicks Import. Members without a password in the
 * file are emailed an invitation. Each row's problem is said in the administrator's language from its
 * `code` and details, never from the server's English text.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Label, Radio, RadioGroup, TextArea, TextField } from 'react-aria-components';
import { api, unwrap } from '../../../api/client.ts';
import { ApiProblem } from '../../../api/problem.ts';
import { ErrorAlert, Notice } from '../../../components/Alert.tsx';
import { PrimaryButton, SecondaryButton, submitOnce } from '../../../components/Buttons.tsx';
import { useErrorText, useT } from '../../../i18n/I18n.tsx';
import type { ImportRowErrorCode } from '../../../../../src/core/errors.ts';
import type { components } from '../../../api/schema.d.ts';
import { PanelHeading } from '../components.tsx';

type Format = 'csv' | 'json';
/** One entry of an `import_failed` problem: where, what (`code`), and the details its message needs. */
type RowError = NonNullable<components['schemas']['Problem']['errors']>[number];

/** Every row code the site words; a Record, so a code added to the server's list is a type error here until it is. */
const ROW_CODES: Record<ImportRowErrorCode, true> = {
  file_empty: true, too_many_rows: true, csv_unreadable: true, json_unreadable: true, json_not_array: true,
  unknown_column: true, missing_column: true, duplicate_column: true, column_count: true, not_an_object: true,
  unknown_field: true, not_text: true, name_required: true, name_too_long: true, email_required: true,
  email_invalid: true, email_taken: true, email_repeated: true, email_taken_meanwhile: true, role_invalid: true,
  role_forbidden: true, group_required: true, group_unknown: true, group_ambiguous: true, group_forbidden: true,
  password_too_weak: true,
};
const isRowCode = (code: string | undefined): code is ImportRowErrorCode => code !== undefined && Object.hasOwn(ROW_CODES, code);
const FIELDS = ['name', 'email', 'role', 'technicianGroup', 'password'] as const;

export function ImportPanel() {
  const t = useT();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [format, setFormat] = useState<Format>('csv');
  const [content, setContent] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const fileId = useId();
  const check = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/members/import/dry-run', { body: { format, content } })) });
  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/members/import', { body: { format, content } })),
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['admin'] }); },
  });
  // Any edit makes the last check stale: the file must be checked again before it is imported.
  const edit = (next: { format?: Format; content?: string }) => {
    check.reset();
    save.reset();
    setNotice(null);
    if (next.format) setFormat(next.format);
    if (next.content !== undefined) setContent(next.content);
  };
  const rowErrors = problemRows(check.error ?? save.error);
  const otherError = rowErrors ? null : errorText(check.error ?? save.error);
  const rowMessage = (error: RowError): string => {
    if (!isRowCode(error.code)) return t('adminMembers.import.error.unknown');
    return t(`adminMembers.import.error.${error.code}`, {
      maximum: error.maximum ?? 0, count: error.count ?? 0, expected: error.expected ?? 0, found: error.found ?? 0,
      otherRow: error.otherRow ?? 0, value: error.value ?? '',
    });
  };
  const fieldName = (field: string | null | undefined) => (field && (FIELDS as readonly string[]).includes(field) ? t(`adminMembers.import.field.${field as (typeof FIELDS)[number]}`) : field ?? '—');

  return (
    <form className="form admin-form wide" onSubmit={submitOnce(check.isPending, () => { setNotice(null); check.mutate(); })}>
      <PanelHeading>{t('adminMembers.import.title')}</PanelHeading>
      <p className="hint">{t('adminMembers.import.explain')}</p>
      <RadioGroup className="radio-group" value={format} onChange={(value) => edit({ format: value as Format })}>
        <Label className="field-label">{t('adminMembers.import.format')}</Label>
        <Radio className="radio" value="csv">CSV</Radio>
        <Radio className="radio" value="json">JSON</Radio>
      </RadioGroup>
      <div className="field">
        <label className="field-label" htmlFor={fileId}>{t('adminMembers.import.file')}</label>
        <input id={fileId} type="file" accept=".csv,.json,text/csv,application/json" className="field-input"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (!file) return;
            void file.text().then((text) => edit({ content: text, format: file.name.toLowerCase().endsWith('.json') ? 'json' : 'csv' }));
          }} />
      </div>
      <TextField className="field" value={content} onChange={(value) => edit({ content: value })} isRequired>
        <Label className="field-label">{t('adminMembers.import.content')}</Label>
        <TextArea className="field-input code-area" rows={8} spellCheck={false} />
      </TextField>
      <div className="actions">
        <SecondaryButton type="submit" isDisabled={check.isPending || content.trim() === ''}>{t('adminMembers.import.check')}</SecondaryButton>
      </div>
      <ErrorAlert message={otherError} />
      {rowErrors ? (
        <section aria-labelledby="import-errors-title">
          <h3 id="import-errors-title" className="warning-text">{t('adminMembers.import.errorsTitle', { count: rowErrors.length })}</h3>
          <table className="report import-table">
            <thead><tr><th scope="col">{t('adminMembers.import.row')}</th><th scope="col">{t('adminMembers.import.fieldColumn')}</th><th scope="col">{t('adminMembers.import.problem')}</th></tr></thead>
            <tbody>
              {rowErrors.map((error, index) => (
                <tr key={`${error.row ?? 'file'}-${error.field ?? ''}-${index}`}>
                  <th scope="row">{error.row ?? t('adminMembers.import.wholeFile')}</th>
                  <td>{fieldName(error.field)}</td>
                  <td>{rowMessage(error)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {check.data && !save.isSuccess ? (
        <section aria-labelledby="import-preview-title">
          <h3 id="import-preview-title">{t('adminMembers.import.previewTitle', { count: check.data.valid })}</h3>
          <table className="report import-table">
            <thead>
              <tr>
                <th scope="col">{t('adminMembers.import.row')}</th><th scope="col">{t('adminMembers.import.field.name')}</th>
                <th scope="col">{t('adminMembers.import.field.email')}</th><th scope="col">{t('adminMembers.import.field.role')}</th>
                <th scope="col">{t('adminMembers.import.field.technicianGroup')}</th><th scope="col">{t('adminMembers.import.invited')}</th>
              </tr>
            </thead>
            <tbody>
              {check.data.members.map((member) => (
                <tr key={member.row}>
                  <th scope="row">{member.row}</th><td>{member.name}</td><td>{member.email}</td>
                  <td>{t(member.role === 'master_administrator' ? 'admin.role.masterAdministrator' : member.role === 'administrator' ? 'admin.role.administrator' : 'admin.role.technician')}</td>
                  <td>{member.technicianGroup ?? '—'}</td>
                  <td>{t(member.invited ? 'adminReports.yes' : 'adminReports.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <PrimaryButton type="button" isPending={save.isPending} onPress={() => save.mutate(undefined, { onSuccess: (result) => setNotice(t('adminMembers.import.done', { count: result.imported })) })}>
              {t('adminMembers.import.save', { count: check.data.valid })}
            </PrimaryButton>
          </div>
        </section>
      ) : null}
      <Notice message={notice} />
    </form>
  );
}

/** The rows of an `import_failed` problem, or null for any other error. */
function problemRows(error: unknown): RowError[] | null {
  if (!(error instanceof ApiProblem) || error.code !== 'import_failed') return null;
  const errors = (error.problem as { errors?: unknown }).errors;
  return Array.isArray(errors) ? (errors as RowError[]) : [];
}
