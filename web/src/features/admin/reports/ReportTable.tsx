/**
 * A report's rows as a table that keeps only the rows in view in the page (React Aria's Table in a
 * Virtualizer) and reads the next keyset page when its end scrolls into view.
 *
 * Columns sized in `fr` share the table's width, so a table of them fits the Workspace at 1024 px
 * instead of scrolling sideways. A value too long for its cell wraps once, then ends in "…"; the whole
 * value stays in the cell's text (read out, and shown on hover as the cell's title), and a cell reached
 * by the keyboard shows it whole over the cells below.
 */
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../../components/Alert.tsx';
import { useErrorText, useT } from '../../../i18n/I18n.tsx';
import { Cell, Collection, Column, Row, Table, TableBody, TableHeader, TableLayout, TableLoadMoreItem, Virtualizer } from 'react-aria-components';

export interface ReportColumn<T> {
  readonly id: string;
  readonly name: string;
  /** A string is also the cell's title, so a value cut short can be read whole on hover. */
  readonly render: (row: T) => ReactNode;
  /** In pixels, or a share of the width left (`2fr`). A table whose pixels exceed the Workspace scrolls sideways. */
  readonly width?: number | `${number}fr`;
  /** In pixels, for a column sized in `fr`. */
  readonly minWidth?: number;
}

interface ReportTableProps<T extends { id: string }> {
  readonly label: string;
  readonly columns: ReadonlyArray<ReportColumn<T>>;
  readonly rows: readonly T[];
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly onLoadMore: () => void;
  readonly loadingText: string;
  readonly emptyText: string;
}

/** Two lines of text: a long value wraps once before it is cut. */
const ROW_HEIGHT = 52;
const HEADING_HEIGHT = 38;

export function ReportTable<T extends { id: string }>({ label, columns, rows, hasMore, loadingMore, onLoadMore, loadingText, emptyText }: ReportTableProps<T>) {
  return (
    <Virtualizer layout={TableLayout} layoutOptions={{ rowHeight: ROW_HEIGHT, headingHeight: HEADING_HEIGHT }}>
      <Table aria-label={label} className="report-grid">
        <TableHeader columns={columns}>
          {(column) => (
            <Column id={column.id} isRowHeader={column === columns[0]} defaultWidth={column.width ?? 100} minWidth={column.minWidth ?? null} className="report-grid-column">
              <span className="report-grid-label" title={column.name}>{column.name}</span>
            </Column>
          )}
        </TableHeader>
        <TableBody className="report-grid-body" renderEmptyState={() => <p className="report-grid-empty">{emptyText}</p>}>
          <Collection items={rows} dependencies={[columns]}>
            {(row) => (
              <Row id={row.id} columns={columns} className="report-grid-row">
                {(column) => (
                  // The last two columns open a value shown whole leftwards, to keep it inside the table.
                  <Cell className={columns.indexOf(column) >= columns.length - 2 ? 'report-grid-cell end' : 'report-grid-cell'}>
                    <CellText value={column.render(row)} />
                  </Cell>
                )}
              </Row>
            )}
          </Collection>
          {hasMore ? (
            <TableLoadMoreItem onLoadMore={onLoadMore} isLoading={loadingMore} className="report-grid-loading">{loadingText}</TableLoadMoreItem>
          ) : null}
        </TableBody>
      </Table>
    </Virtualizer>
  );
}

/** A cell's value, cut with "…" when too long; a string is also its title. */
function CellText({ value }: { value: ReactNode }) {
  return <span className="report-grid-text" title={typeof value === 'string' ? value : undefined}>{value}</span>;
}

interface PagedReportProps<T extends { id: string }> {
  /** The report's keyset pages, as `useInfiniteQuery` reads them. */
  readonly report: UseInfiniteQueryResult<InfiniteData<{ readonly items: readonly T[] }>>;
  readonly label: string;
  readonly columns: ReadonlyArray<ReportColumn<T>>;
  readonly emptyText: string;
}

/** A paged report: its error, then its table once the first page has come, the next page read at its end. */
export function PagedReport<T extends { id: string }>({ report, label, columns, emptyText }: PagedReportProps<T>) {
  const t = useT();
  const errorText = useErrorText();
  return (
    <>
      <ErrorAlert message={errorText(report.error)} />
      {report.data ? (
        <ReportTable
          label={label}
          columns={columns}
          rows={report.data.pages.flatMap((page) => page.items)}
          hasMore={report.hasNextPage}
          loadingMore={report.isFetchingNextPage}
          onLoadMore={() => { if (report.hasNextPage && !report.isFetchingNextPage) void report.fetchNextPage(); }}
          loadingText={t('common.loading')}
          emptyText={emptyText}
        />
      ) : <p>{t('common.loading')}</p>}
    </>
  );
}
