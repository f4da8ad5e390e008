import type { Key, ReactNode } from 'react';

export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** A class for this column's cells (styles.css), e.g. one that lets long addresses wrap. */
  className?: string;
}

interface DataTableProps<T> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => Key;
  'aria-label'?: string;
  'aria-labelledby'?: string;
  className?: string;
}

/**
 * A list as a table: one header row, one row per item. Tables of a page stay plain <table>s, so
 * the narrow-screen scrolling (styles.css, use-scrollable-tables.ts) applies to them unchanged.
 */
export function DataTable<T>({ columns, rows, rowKey, className, ...name }: DataTableProps<T>) {
  return (
    <table {...name} className={className}>
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th key={i} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column, i) => (
              <td key={i} className={column.className}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
