// Each provider's or personality's share of the range's speech, as a donut with the same figures in a table.
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import PieChart from '@cloudscape-design/components/pie-chart';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { EmptyState } from '../../components/PageState.tsx';
import { FiguresTable, type FiguresRow } from './FiguresTable.tsx';
import { formatCount, formatPercent, formatUsd } from './format.ts';

interface Segment {
  title: string;
  value: number;
  row: FiguresRow;
}

export function BreakdownChart({
  title,
  keyHeader,
  rows,
}: {
  title: string;
  keyHeader: string;
  rows: FiguresRow[];
}) {
  const segments: Segment[] = rows
    .filter((row) => row.characters > 0)
    .map((row) => ({ title: row.label, value: row.characters, row }));
  const total = segments.reduce((sum, segment) => sum + segment.value, 0);
  return (
    <Container header={<Header variant="h2">{title}</Header>} fitHeight>
      <SpaceBetween size="l">
        <PieChart<Segment>
          data={segments}
          variant="donut"
          size="medium"
          hideFilter
          innerMetricValue={formatCount(total)}
          innerMetricDescription="characters"
          ariaLabel={`${title}: share of characters`}
          ariaDescription="The same figures are in the table below the chart."
          detailPopoverContent={(segment, sum) => [
            { key: 'Characters', value: formatCount(segment.value) },
            { key: 'Share', value: formatPercent(sum ? segment.value / sum : 0) },
            { key: 'Cost', value: formatUsd(segment.row.cost_usd) },
            { key: 'From cache', value: formatPercent(segment.row.cached_share) },
          ]}
          segmentDescription={(segment, sum) =>
            `${formatCount(segment.value)} characters, ${formatPercent(sum ? segment.value / sum : 0)}`
          }
          empty={<EmptyState title="No speech in this range" />}
          i18nStrings={{
            detailsValue: 'Characters',
            detailsPercentage: 'Share',
            legendAriaLabel: `Legend: ${title}`,
            detailPopoverDismissAriaLabel: 'Dismiss',
            chartAriaRoleDescription: 'donut chart',
            segmentAriaRoleDescription: 'segment',
          }}
        />
        <ExpandableSection headerText={`Table: ${title.toLowerCase()}`} variant="footer">
          <FiguresTable rows={rows} keyHeader={keyHeader} caption={title} />
        </ExpandableSection>
      </SpaceBetween>
    </Container>
  );
}
