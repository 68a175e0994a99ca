/**
 * The Audit report: the organization's audit trail, newest first, filtered by time, who, what and
 * the kind of entity; each entry opens to show the values before and after the change. Pages are
 * read by the server's keyset cursor, one more with each "Show more".
 */
import { useId, useState } from 'react';
import { ErrorAlert } from '../../../components/Alert.tsx';
import { SecondaryButton } from '../../../components/Buttons.tsx';
import { useErrorText, useT } from '../../../i18n/I18n.tsx';
import type { MessageId } from '../../../i18n/messages.ts';
import { useAdministratorReport, useAuditReport, type AuditEvent, type AuditFilters } from './reportQueries.ts';

/** The change types and entity kinds the audit trail records (the API's description lists them). */
const ACTIONS = [
  'Add', 'Delete', 'Move', 'Copy', 'Assign', 'Unassign', 'Change', 'View', 'Enable', 'Disable', 'Reset', 'SignIn', 'SignInFailed', 'SignOut',
  'Bind', 'Remove', 'Lock', 'Unlock', 'Import', 'Use', 'VerifyFailed', 'TransactionFailed', 'PasswordResetRequested',
] as const;
const ENTITIES = [
  'organization', 'master_administrator', 'administrator', 'administrator_group', 'technician_group', 'technician', 'member', 'settings', 'factor',
  'recovery_codes', 'session',
] as const;

export function AuditReport() {
  const t = useT();
  const errorText = useErrorText();
  const [filters, setFilters] = useState<AuditFilters>({});
  const report = useAuditReport(filters);
  const people = useAdministratorReport();
  const ids = { from: useId(), to: useId(), who: useId(), what: useId(), entity: useId() };
  const change = (changes: Partial<AuditFilters>) => setFilters((current) => ({ ...current, ...changes }));
  // A datetime-local field holds the administrator's local time; the API takes an instant.
  const instant = (value: string) => (value === '' ? undefined : new Date(value).toISOString());
  const events = report.data?.pages.flatMap((page) => page.items) ?? [];
  const actionName = (action: string) => (ACTIONS.includes(action as (typeof ACTIONS)[number]) ? t(`adminReports.action.${action}` as MessageId) : action);
  const entityName = (entity: string) => (ENTITIES.includes(entity as (typeof ENTITIES)[number]) ? t(`adminReports.entity.${entity}` as MessageId) : entity);

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title" className="panel-heading">{t('adminReports.audit.title')}</h2>
      <div className="report-filters">
        <div className="field">
          <label className="field-label" htmlFor={ids.from}>{t('adminReports.audit.from')}</label>
          <input id={ids.from} type="datetime-local" className="field-input" onChange={(event) => change({ from: instant(event.target.value) })} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.to}>{t('adminReports.audit.to')}</label>
          <input id={ids.to} type="datetime-local" className="field-input" onChange={(event) => change({ to: instant(event.target.value) })} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.who}>{t('adminReports.audit.who')}</label>
          <select id={ids.who} className="field-input" value={filters.actorId ?? ''} onChange={(event) => change({ actorId: event.target.value || undefined })}>
            <option value="">{t('adminReports.audit.anyone')}</option>
            {(people.data?.pages.flatMap((page) => page.items) ?? []).map((person) => <option key={person.id} value={person.id}>{person.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.what}>{t('adminReports.audit.what')}</label>
          <select id={ids.what} className="field-input" value={filters.action ?? ''} onChange={(event) => change({ action: event.target.value || undefined })}>
            <option value="">{t('adminReports.audit.anyAction')}</option>
            {ACTIONS.map((action) => <option key={action} value={action}>{actionName(action)}</option>)}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.entity}>{t('adminReports.audit.entity')}</label>
          <select id={ids.entity} className="field-input" value={filters.entityType ?? ''} onChange={(event) => change({ entityType: event.target.value || undefined })}>
            <option value="">{t('adminReports.audit.anyEntity')}</option>
            {ENTITIES.map((entity) => <option key={entity} value={entity}>{entityName(entity)}</option>)}
          </select>
        </div>
      </div>
      <ErrorAlert message={errorText(report.error)} />
      {report.data ? (
        events.length === 0 ? <p>{t('adminReports.audit.empty')}</p> : (
          <ol className="audit-list">
            {events.map((event) => <AuditEntry key={event.id} event={event} actionName={actionName} entityName={entityName} />)}
          </ol>
        )
      ) : <p>{t('common.loading')}</p>}
      {report.hasNextPage ? (
        <div className="actions">
          <SecondaryButton isDisabled={report.isFetchingNextPage} onPress={() => void report.fetchNextPage()}>{t('adminReports.audit.more')}</SecondaryButton>
        </div>
      ) : null}
    </section>
  );
}

interface AuditEntryProps {
  readonly event: AuditEvent;
  readonly actionName: (action: string) => string;
  readonly entityName: (entity: string) => string;
}

function AuditEntry({ event, actionName, entityName }: AuditEntryProps) {
  const t = useT();
  const changes = changedFields(event.before, event.after);
  return (
    <li className="audit-entry">
      <details>
        <summary>
          <span className="audit-when">{t('adminReports.when', { when: new Date(event.at) })}</span>{' '}
          {t('adminReports.audit.summary', { who: event.actor.name, what: actionName(event.changeType), entity: entityName(event.entityType), name: event.entityName })}
        </summary>
        {changes.length === 0 ? <p className="hint">{t('adminReports.audit.noChanges')}</p> : (
          <table className="audit-changes">
            <thead>
              <tr>
                <th scope="col">{t('adminReports.audit.field')}</th>
                <th scope="col">{t('adminReports.audit.before')}</th>
                <th scope="col">{t('adminReports.audit.after')}</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((row) => (
                <tr key={row.field}>
                  <th scope="row">{row.field}</th>
                  <td>{row.before}</td>
                  <td>{row.after}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </li>
  );
}

/** The fields of `before` and `after` side by side; a value that is no object shows as one row. */
export function changedFields(before: unknown, after: unknown): Array<{ field: string; before: string; after: string }> {
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const show = (value: unknown) => (value === undefined || value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value));
  if (!isRecord(before) && !isRecord(after)) {
    return before === null && after === null ? [] : [{ field: '—', before: show(before), after: show(after) }];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].map((field) => ({ field, before: show(b[field]), after: show(a[field]) }));
}
