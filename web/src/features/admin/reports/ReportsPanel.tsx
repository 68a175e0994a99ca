/** The Reports tab: the organization's two-step verification figures, as the report route answers them. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/Alert.tsx';
import { useT } from '../../../i18n/I18n.tsx';
import { errorMessage } from '../../../i18n/errors.ts';
import { PanelHeading } from '../components.tsx';

export function ReportsPanel({ isMaster }: { isMaster: boolean }) {
  const t = useT();
  const report = useQuery({ queryKey: ['admin', 'report'], queryFn: () => unwrap(api.GET('/api/v1/reports/two-step-verification')) });
  if (!report.data) {
    const message = report.error ? errorMessage(report.error) : null;
    return <ErrorAlert message={message ? t(message.id, message.values) : null} />;
  }
  const rows = [
    { key: 'totals', label: t('admin.reports.totals'), figures: report.data.totals },
    ...(isMaster && report.data.administrators ? [{ key: 'administrators', label: t('admin.tree.administrators'), figures: report.data.administrators }] : []),
    ...report.data.technicianGroups.map((group) => ({ key: group.id, label: group.name, figures: group })),
  ];
  return (
    <div>
      <PanelHeading>{t('admin.reports.title')}</PanelHeading>
      <table className="report">
        <thead>
          <tr>
            <th scope="col">{t('admin.reports.who')}</th>
            <th scope="col">{t('admin.reports.members')}</th>
            <th scope="col">{t('admin.reports.required')}</th>
            <th scope="col">{t('admin.reports.setUp')}</th>
            <th scope="col">{t('admin.reports.locked')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td>{row.figures.members}</td>
              <td>{row.figures.required}</td>
              <td>{row.figures.setUp}</td>
              <td>{row.figures.locked}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
