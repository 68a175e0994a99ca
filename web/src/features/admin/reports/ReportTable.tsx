/**
 * A report's rows as a table that keeps only the rows in view in the page (React Aria's Table in a
 * Virtualizer) and reads the next keyset page when its end scrolls into view.
 */
import type { ReactNode } from 'react';
import { Cell, Collection, Column, Row, Table, TableBody, TableHeader, TableLayout, TableLoadMoreItem, Virtualizer } from 'react-aria-components';

export interface ReportColumn<T> {
  readonly id: string;
  readonly name: string;
  readonly render: (row: T) => ReactNode;
  /** In pixels; the table scrolls sideways when the columns are wider than the Workspace. */
  readonly width?: number;
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

const ROW_HEIGHT = 38;

export function ReportTable<T extends { id: string }>({ label, columns, rows, hasMore, loadingMore, onLoadMore, loadingText, emptyText }: ReportTableProps<T>) {
  return (
    <Virtualizer layout={TableLayout} layoutOptions={{ rowHeight: ROW_HEIGHT, headingHeight: ROW_HEIGHT }}>
      <Table aria-label={label} className="report-grid">
        <TableHeader columns={columns}>
          {(column) => (
            <Column id={column.id} isRowHeader={column === columns[0]} defaultWidth={column.width ?? 100} className="report-grid-column">
              <span className="report-grid-label">{column.name}</span>
            </Column>
          )}
        </TableHeader>
        <TableBody className="report-grid-body" renderEmptyState={() => <p className="report-grid-empty">{emptyText}</p>}>
          <Collection items={rows} dependencies={[columns]}>
            {(row) => (
              <Row id={row.id} columns={columns} className="report-grid-row">
                {(column) => <Cell className="report-grid-cell">{column.render(row)}</Cell>}
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
