// The range's totals: what was spoken, what it cost, and what the cache saved.
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import { formatCount, formatDay, formatMinutes, formatPercent, formatUsd } from './format.ts';
import type { DayRange, UsageFigures } from './types.ts';

const big = (text: string) => <Box variant="awsui-value-large">{text}</Box>;

export function Totals({ totals, range }: { totals: UsageFigures; range: DayRange }) {
  const span =
    range.from === range.to ? formatDay(range.from) : `${formatDay(range.from)} – ${formatDay(range.to)}`;
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={`${span} (UTC), ${formatCount(totals.requests)} sentences spoken or served from cache`}
        >
          Totals
        </Header>
      }
    >
      <KeyValuePairs
        columns={3}
        ariaLabel="Totals for the range"
        items={[
          { label: 'Characters', value: big(formatCount(totals.characters)) },
          {
            label: 'Billable characters',
            value: big(formatCount(totals.billable_characters)),
            info: <Box variant="small">Cache hits are not billed</Box>,
          },
          { label: 'Audio', value: big(formatMinutes(totals.audio_seconds)) },
          { label: 'Cost', value: big(formatUsd(totals.cost_usd)) },
          { label: 'Served from cache', value: big(formatPercent(totals.cached_share)) },
          { label: 'Saved by the cache', value: big(formatUsd(totals.saved_usd)) },
        ]}
      />
    </Container>
  );
}
