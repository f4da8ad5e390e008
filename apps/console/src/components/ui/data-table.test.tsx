import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DataTable } from './data-table';

const runs = [
  { id: 'r1', state: 'Succeeded', counts: 'Created 3' },
  { id: 'r2', state: 'Failed', counts: 'Nothing changed' },
];

describe('DataTable', () => {
  it('names the table, heads each column and gives each item a row in order', () => {
    render(
      <DataTable
        aria-label="Sync runs"
        rows={runs}
        rowKey={(r) => r.id}
        columns={[
          { header: 'State', cell: (r) => r.state },
          { header: 'Counts', cell: (r) => r.counts, className: 'user' },
        ]}
      />,
    );
    const table = screen.getByRole('table', { name: 'Sync runs' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['State', 'Counts']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
      ['Succeeded', 'Created 3'],
      ['Failed', 'Nothing changed'],
    ]);
    expect(within(rows[0]!).getByText('Created 3').className).toBe('user');
  });
});
