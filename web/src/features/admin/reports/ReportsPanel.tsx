/**
 * The Reports tab: the two-step verification report (figures per technician group, then each
 * member's status, filtered and downloadable as CSV), and for master administrators the Audit report
 * and the Administrator status report.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { api, unwrap } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/Alert.tsx';
import { SecondaryButton } from '../../../components/Buttons.tsx';
import { useErrorText, useT } from '../../../i18n/I18n.tsx';
import { PanelHeading } from '../components.tsx';
import { AdministratorStatusReport } from './AdministratorStatusReport.tsx';
import { AuditReport } from './AuditReport.tsx';
import { MemberStatusReport } from './MemberStatusReport.tsx';

export function ReportsPanel({ isMaster, groupId = null }: { isMaster: boolean; groupId?: string | null }) {
  const t = useT();
  const twoStep = (
    <>
      <ComplianceFigures isMaster={isMaster} />
      <MemberStatusReport groupId={groupId} />
    </>
  );
  // Administrators see only the two-step verification report: the other two are the master's.
  if (!isMaster) return twoStep;
  return (
    <Tabs defaultSelectedKey="two-step">
      <TabList aria-label={t('adminReports.choose')} className="tab-list sub-tabs">
        <Tab id="two-step" className="tab">{t('adminReports.tab.twoStep')}</Tab>
        <Tab id="audit" className="tab">{t('adminReports.tab.audit')}</Tab>
        <Tab id="administrators" className="tab">{t('adminReports.tab.administrators')}</Tab>
      </TabList>
      <TabPanel id="two-step" className="tab-panel">{twoStep}</TabPanel>
      <TabPanel id="audit" className="tab-panel"><AuditReport /></TabPanel>
      <TabPanel id="administrators" className="tab-panel"><AdministratorStatusReport /></TabPanel>
    </Tabs>
  );
}

/** Groups per page of the figures: a screen's worth; thousands of groups come only as asked for. */
const FIGURES_PAGE = '50';

/** The organization's figures per technician group, as the report route answers them, a page of groups at a time. */
function ComplianceFigures({ isMaster }: { isMaster: boolean }) {
  const t = useT();
  const errorText = useErrorText();
  const report = useInfiniteQuery({
    queryKey: ['admin', 'report'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/reports/two-step-verification', {
      params: { query: { limit: FIGURES_PAGE, ...(pageParam ? { cursor: pageParam } : {}) } },
    })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const first = report.data?.pages[0];
  if (!report.data || !first) return <ErrorAlert message={errorText(report.error)} />;
  const rows = [
    { key: 'totals', label: t('admin.reports.totals'), figures: first.totals },
    ...(isMaster && first.administrators ? [{ key: 'administrators', label: t('admin.tree.administrators'), figures: first.administrators }] : []),
    ...report.data.pages.flatMap((page) => page.technicianGroups).map((group) => ({ key: group.id, label: group.name, figures: group })),
  ];
  return (
    <div>
      <PanelHeading>{t('admin.reports.title')}</PanelHeading>
      {/* Focusable so that a keyboard can scroll it when a language's headings make it wider than the Workspace. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t('admin.reports.title')}>
      <table className="report">
        <thead>
          <tr>
            <th scope="col">{t('admin.reports.who')}</th>
            <th scope="col">{t('admin.reports.members')}</th>
            <th scope="col">{t('admin.reports.required')}</th>
            <th scope="col">{t('admin.reports.setUp')}</th>
            <th scope="col">{t('adminReports.column.mustSetUpAgain')}</th>
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
              <td>{row.figures.mustSetUpAgain}</td>
              <td>{row.figures.locked}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {report.hasNextPage ? (
        <div className="report-actions">
          <SecondaryButton isDisabled={report.isFetchingNextPage} onPress={() => void report.fetchNextPage()}>{t('admin.reports.moreGroups')}</SecondaryButton>
        </div>
      ) : null}
    </div>
  );
}
