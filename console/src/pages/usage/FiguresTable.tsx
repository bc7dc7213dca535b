// A report's groups as a table: what each chart shows, readable without the chart (and by screen readers).
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { formatCount, formatMinutes, formatPercent, formatUsd } from './format.ts';
import type { UsageGroup } from './types.ts';

export interface FiguresRow extends UsageGroup {
  /** The group as people name it: a day, a provider, a personality. */
  label: string;
}

const COLUMNS = (keyHeader: string): TableProps.ColumnDefinition<FiguresRow>[] => [
  { id: 'key', header: keyHeader, cell: (row) => row.label, isRowHeader: true },
  { id: 'characters', header: 'Characters', cell: (row) => formatCount(row.characters) },
  { id: 'billable', header: 'Billable characters', cell: (row) => formatCount(row.billable_characters) },
  { id: 'audio', header: 'Audio', cell: (row) => formatMinutes(row.audio_seconds) },
  { id: 'cost', header: 'Cost', cell: (row) => formatUsd(row.cost_usd) },
  { id: 'cached', header: 'From cache', cell: (row) => formatPercent(row.cached_share) },
  { id: 'saved', header: 'Saved by cache', cell: (row) => formatUsd(row.saved_usd) },
];

export function FiguresTable({
  rows,
  keyHeader,
  caption,
}: {
  rows: FiguresRow[];
  keyHeader: string;
  caption: string;
}) {
  return (
    <Table
      variant="embedded"
      columnDefinitions={COLUMNS(keyHeader)}
      items={rows}
      trackBy="key"
      ariaLabels={{ tableLabel: caption }}
      wrapLines={false}
      stripedRows
      empty="No speech in this range"
    />
  );
}
