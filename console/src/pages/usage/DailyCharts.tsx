// Characters and cost per day of the range, as bar charts with the same figures in a table beside them.
import BarChart from '@cloudscape-design/components/bar-chart';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { EmptyState } from '../../components/PageState.tsx';
import { FiguresTable, type FiguresRow } from './FiguresTable.tsx';
import { daysOf, formatCount, formatDay, formatUsd } from './format.ts';
import type { DayRange, UsageGroup } from './types.ts';

const ZERO = {
  requests: 0,
  characters: 0,
  billable_characters: 0,
  audio_seconds: 0,
  cost_usd: 0,
  cached_share: 0,
  saved_usd: 0,
};

/** Every day of the range in order, quiet days as zeros. */
export function dailyRows(range: DayRange, groups: UsageGroup[]): FiguresRow[] {
  const byDay = new Map(groups.map((group) => [group.key, group]));
  return daysOf(range).map((day) => ({ ...ZERO, ...byDay.get(day), key: day, label: formatDay(day) }));
}

function DayChart({
  title,
  rows,
  value,
  format,
}: {
  title: string;
  rows: FiguresRow[];
  value: (row: FiguresRow) => number;
  format: (value: number) => string;
}) {
  return (
    <BarChart
      series={[
        {
          title,
          type: 'bar',
          data: rows.map((row) => ({ x: row.key, y: value(row) })),
          valueFormatter: (y) => format(y),
        },
      ]}
      xScaleType="categorical"
      xDomain={rows.map((row) => row.key)}
      // A range of free speech (the local voice) would otherwise collapse the axis onto its zero line.
      {...(rows.some((row) => value(row) > 0) ? {} : { yDomain: [0, 1] })}
      xTickFormatter={formatDay}
      yTickFormatter={format}
      xTitle="Day (UTC)"
      yTitle={title}
      ariaLabel={`${title} by day`}
      height={220}
      hideFilter
      hideLegend
      empty={<EmptyState title="No speech in this range" />}
      i18nStrings={{
        detailPopoverDismissAriaLabel: 'Dismiss',
        xAxisAriaRoleDescription: 'x axis',
        yAxisAriaRoleDescription: 'y axis',
      }}
    />
  );
}

export function DailyCharts({ range, groups }: { range: DayRange; groups: UsageGroup[] }) {
  const rows = dailyRows(range, groups);
  const spoken = rows.filter((row) => row.requests > 0);
  return (
    <Container header={<Header variant="h2">By day</Header>}>
      <SpaceBetween size="l">
        <ColumnLayout columns={2} minColumnWidth={280}>
          <DayChart title="Characters" rows={rows} value={(row) => row.characters} format={formatCount} />
          <DayChart title="Cost (USD)" rows={rows} value={(row) => row.cost_usd} format={formatUsd} />
        </ColumnLayout>
        <ExpandableSection headerText="Table: usage by day" variant="footer">
          <FiguresTable rows={spoken} keyHeader="Day (UTC)" caption="Usage by day" />
        </ExpandableSection>
      </SpaceBetween>
    </Container>
  );
}
