// Usage: what the voices spoke over a range of days, what it cost, what the cache saved, the budget left.
import { useMemo, useState } from 'react';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import DateRangePicker, { type DateRangePickerProps } from '@cloudscape-design/components/date-range-picker';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { EmptyState, ErrorState, LoadingState } from '../components/PageState.tsx';
import { useApi } from '../components/useApi.ts';
import { BreakdownChart } from './usage/BreakdownChart.tsx';
import { DailyCharts } from './usage/DailyCharts.tsx';
import { checkRange, dayRange, RELATIVE_OPTIONS, thisMonth, today } from './usage/format.ts';
import { personalityLabel, providerLabel } from './usage/labels.ts';
import { PlanBudget } from './usage/PlanBudget.tsx';
import { Totals } from './usage/Totals.tsx';
import type { DayRange, GroupBy, UsageReport } from './usage/types.ts';

const usagePath = ({ from, to }: DayRange, groupBy: GroupBy) =>
  `/api/admin/voice/usage?${new URLSearchParams({ from, to, group_by: groupBy })}`;

const PICKER_STRINGS: DateRangePickerProps.I18nStrings = {
  relativeModeTitle: 'Relative range',
  absoluteModeTitle: 'Absolute range',
  relativeRangeSelectionHeading: 'Choose a range',
  cancelButtonLabel: 'Cancel',
  clearButtonLabel: 'Clear',
  applyButtonLabel: 'Apply',
  customRelativeRangeOptionLabel: 'Custom range',
  customRelativeRangeOptionDescription: 'Set a custom range in the past',
  customRelativeRangeDurationLabel: 'Duration',
  customRelativeRangeUnitLabel: 'Unit of time',
  startDateLabel: 'First day',
  endDateLabel: 'Last day',
  isoDatePlaceholder: 'YYYY-MM-DD',
  dateConstraintText: 'Days are counted in UTC.',
  formatRelativeRange: ({ amount, unit }) => `Last ${amount} ${unit}${amount === 1 ? '' : 's'}`,
  formatUnit: (unit, value) => (value === 1 ? unit : `${unit}s`),
  renderSelectedAbsoluteRangeAriaLive: (start, end) => `Range selected from ${start} to ${end}`,
  previousMonthAriaLabel: 'Previous month',
  nextMonthAriaLabel: 'Next month',
  currentMonthAriaLabel: 'This month',
  todayAriaLabel: 'Today',
  modeSelectionLabel: 'Range type',
};

/** Usage is only ever in the past: days after today (UTC) cannot be picked. */
const isPast = (date: Date) => {
  const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  return day <= today();
};

interface PersonalityNames {
  personalities: { id: string; name: string }[];
}

export default function UsagePage() {
  const [value, setValue] = useState<DateRangePickerProps.Value>(() => thisMonth());
  const range = useMemo(() => dayRange(value), [value]);
  const byDay = useApi<UsageReport>(usagePath(range, 'day'));
  const byProvider = useApi<UsageReport>(usagePath(range, 'provider'));
  const byPersonality = useApi<UsageReport>(usagePath(range, 'personality'));
  // Names only make the personality breakdown friendlier; without them it shows ids.
  const personalities = useApi<PersonalityNames>('/api/admin/ai-personalities');
  const names = useMemo(
    () => new Map((personalities.data?.personalities ?? []).map((each) => [each.id, each.name])),
    [personalities.data],
  );

  const reports = [byDay, byProvider, byPersonality];
  const loading = reports.some((report) => report.loading);
  const error = reports.find((report) => report.error)?.error;
  const reload = () => reports.forEach((report) => report.reload());

  let content;
  if (error) content = <ErrorState error={error} onRetry={reload} />;
  else if (loading || !byDay.data || !byProvider.data || !byPersonality.data)
    content = <LoadingState label="Loading usage" />;
  else {
    const report = byDay.data;
    content = (
      <SpaceBetween size="l">
        <Totals totals={report.totals} range={range} />
        <PlanBudget budget={report.budget} />
        {report.totals.requests === 0 ? (
          <Container>
            <EmptyState
              title="No speech in this range"
              description="Speech from the voice page, the chat playground or your apps shows here. Choose other days to see more."
            />
          </Container>
        ) : (
          <>
            <DailyCharts range={range} groups={report.groups} />
            <ColumnLayout columns={2} minColumnWidth={300}>
              <BreakdownChart
                title="By provider"
                keyHeader="Provider"
                rows={byProvider.data.groups.map((group) => ({ ...group, label: providerLabel(group.key) }))}
              />
              <BreakdownChart
                title="By personality"
                keyHeader="Personality"
                rows={byPersonality.data.groups.map((group) => ({
                  ...group,
                  label: personalityLabel(group.key, names),
                }))}
              />
            </ColumnLayout>
          </>
        )}
      </SpaceBetween>
    );
  }

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Characters spoken, audio, cost and cache savings, counted per UTC day."
          actions={
            <Button iconName="refresh" onClick={reload} loading={loading} ariaLabel="Refresh usage">
              Refresh
            </Button>
          }
        >
          Usage
        </Header>
      }
    >
      <SpaceBetween size="l">
        <FormField label="Date range" description="Default: this month so far">
          <DateRangePicker
            value={value}
            onChange={({ detail }) => setValue(detail.value ?? thisMonth())}
            relativeOptions={RELATIVE_OPTIONS}
            isValidRange={checkRange}
            dateOnly
            dateInputFormat="iso"
            isDateEnabled={isPast}
            dateDisabledReason={() => 'No usage yet: this day is still to come'}
            absoluteMultiGridStartPeriod="previous"
            rangeSelectorMode="default"
            placeholder="Choose a range of days"
            i18nStrings={PICKER_STRINGS}
            expandToViewport
          />
        </FormField>
        {content}
      </SpaceBetween>
    </ContentLayout>
  );
}
