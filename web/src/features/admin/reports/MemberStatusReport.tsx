/**
 * The two-step verification status of each member: filtered by technician group (with its
 * subgroups), role and state (such as "must set up again"), read page by page as the list scrolls,
 * and downloaded as CSV with the same filters.
 */
import { useId, useState } from 'react';
import { useT } from '../../../i18n/I18n.tsx';
import { useGroupChoice } from '../queries.ts';
import { GroupPicker, type PickedGroup } from '../tree/GroupPicker.tsx';
import { PagedReport, type ReportColumn } from './ReportTable.tsx';
import { REPORT_ROLES, REPORT_STATES, csvLink, useMemberStatusReport, type MemberStatusFilters, type MemberStatusRow } from './reportQueries.ts';

type Role = (typeof REPORT_ROLES)[number];
type State = (typeof REPORT_STATES)[number];

export function MemberStatusReport({ groupId }: { groupId: string | null }) {
  const t = useT();
  const [filters, setFilters] = useState<MemberStatusFilters>(groupId ? { technicianGroupId: groupId } : {});
  // The group's Reports tab starts on its group, whose name is read by id; then the picker's choice.
  const opening = useGroupChoice(groupId);
  const [picked, setPicked] = useState<PickedGroup | null | undefined>(undefined);
  const group = picked === undefined ? opening : picked;
  const report = useMemberStatusReport(filters);
  const ids = { role: useId(), state: useId() };
  const roleName = (role: Role) => t(`adminReports.role.${role}`);
  /** Required or not, set up or not, then what needs an administrator: one column instead of four yes/no ones. */
  const twoStep = (row: MemberStatusRow) => [
    t(row.required ? 'adminReports.state.required' : 'adminReports.status.notRequired'),
    t(row.setUp ? 'adminReports.state.set_up' : 'adminReports.state.not_set_up'),
    ...(row.mustSetUpAgain ? [t('adminReports.state.must_set_up_again')] : []),
    ...(row.locked ? [t('adminReports.state.locked')] : []),
  ].join(' · ');

  // Shares of the width, so the table fits the Workspace at 1024 px in every language (the CSV has every column).
  const columns: ReadonlyArray<ReportColumn<MemberStatusRow>> = [
    { id: 'name', name: t('adminReports.column.name'), render: (row) => row.name, width: '5fr', minWidth: 90 },
    { id: 'email', name: t('adminReports.column.email'), render: (row) => row.email, width: '5fr', minWidth: 90 },
    { id: 'role', name: t('adminReports.column.role'), render: (row) => roleName(row.role), width: '4fr', minWidth: 80 },
    { id: 'group', name: t('adminReports.column.group'), render: (row) => row.groupPath.map((group) => group.name).join(' / ') || '—', width: '5fr', minWidth: 90 },
    { id: 'twoStep', name: t('adminReports.column.twoStep'), render: twoStep, width: '7fr', minWidth: 110 },
  ];
  const change = (changes: Partial<MemberStatusFilters>) => setFilters((current) => ({ ...current, ...changes }));

  return (
    <section aria-labelledby="member-status-title">
      <h3 id="member-status-title">{t('adminReports.members.title')}</h3>
      <div className="report-filters">
        <GroupPicker
          label={t('adminReports.filter.group')}
          value={group}
          onChange={(next) => { setPicked(next); change({ technicianGroupId: next?.id }); }}
          noneLabel={t('adminReports.filter.anyGroup')}
          hint={null}
        />
        <div className="field">
          <label className="field-label" htmlFor={ids.role}>{t('adminReports.filter.role')}</label>
          <select id={ids.role} className="field-input" value={filters.role ?? ''} onChange={(event) => change({ role: (event.target.value || undefined) as Role | undefined })}>
            <option value="">{t('adminReports.filter.anyRole')}</option>
            {REPORT_ROLES.map((role) => <option key={role} value={role}>{roleName(role)}</option>)}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.state}>{t('adminReports.filter.state')}</label>
          <select id={ids.state} className="field-input" value={filters.state ?? ''} onChange={(event) => change({ state: (event.target.value || undefined) as State | undefined })}>
            <option value="">{t('adminReports.filter.anyState')}</option>
            {REPORT_STATES.map((state) => <option key={state} value={state}>{t(`adminReports.state.${state}`)}</option>)}
          </select>
        </div>
      </div>
      <div className="report-actions">
        <a className="button secondary" href={csvLink('/api/v1/reports/two-step-verification/members', filters)} download>{t('adminReports.downloadCsv')}</a>
      </div>
      <PagedReport report={report} label={t('adminReports.members.title')} columns={columns} emptyText={t('adminReports.members.empty')} />
    </section>
  );
}
