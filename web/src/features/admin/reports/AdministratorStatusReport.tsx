/**
 * The Administrator status report, as the reference product lists it: each master administrator and
 * administrator with their administrator group, whether two-step verification is required for them
 * and set up, with which methods, their last sign-in and whether they are enabled; downloadable as CSV.
 */
import { useT } from '../../../i18n/I18n.tsx';
import { PagedReport, type ReportColumn } from './ReportTable.tsx';
import { csvLink, useAdministratorReport, type AdministratorRow } from './reportQueries.ts';

export function AdministratorStatusReport() {
  const t = useT();
  const report = useAdministratorReport();
  const yesNo = (value: boolean) => t(value ? 'adminReports.yes' : 'adminReports.no');
  const columns: ReadonlyArray<ReportColumn<AdministratorRow>> = [
    { id: 'name', name: t('adminReports.column.name'), render: (row) => row.name, width: 190 },
    { id: 'email', name: t('adminReports.column.email'), render: (row) => row.email, width: 250 },
    { id: 'role', name: t('adminReports.column.role'), render: (row) => t(`adminReports.role.${row.role}`), width: 170 },
    { id: 'group', name: t('adminReports.column.administratorGroup'), render: (row) => row.administratorGroup?.name ?? '—', width: 170 },
    { id: 'required', name: t('adminReports.column.required'), render: (row) => yesNo(row.required) },
    { id: 'setUp', name: t('adminReports.column.setUp'), render: (row) => yesNo(row.setUp) },
    { id: 'methods', name: t('adminReports.column.methods'), render: (row) => row.methods.map((method) => t(`common.method.${method}`)).join(', ') || '—', width: 200 },
    {
      id: 'lastSignIn', name: t('adminReports.column.lastSignIn'), width: 180,
      render: (row) => (row.lastSignInAt ? t('adminReports.when', { when: new Date(row.lastSignInAt) }) : t('adminReports.never')),
    },
    { id: 'enabled', name: t('adminReports.column.enabled'), render: (row) => yesNo(row.enabled) },
  ];
  return (
    <section aria-labelledby="administrator-status-title">
      <h2 id="administrator-status-title" className="panel-heading">{t('adminReports.administrators.title')}</h2>
      <div className="report-actions">
        <a className="button secondary" href={csvLink('/api/v1/reports/administrators', {})} download>{t('adminReports.downloadCsv')}</a>
      </div>
      <PagedReport report={report} label={t('adminReports.administrators.title')} columns={columns} emptyText={t('adminReports.administrators.empty')} />
    </section>
  );
}
