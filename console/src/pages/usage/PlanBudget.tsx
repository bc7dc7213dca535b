// The tenant's plan and how much of this month's character budget is spent.
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { formatCount, formatPercent, formatUsd } from './format.ts';
import type { PlanSummary, UsageBudget } from './types.ts';

const VOICES: Record<PlanSummary['voice'], string> = {
  none: 'None: replies are text only',
  default: 'Default voices',
  custom: 'Default and custom voices',
};

const unlimitedOr = (value: number | null, format: (value: number) => string) =>
  value === null ? 'Unlimited' : format(value);

function monthName(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** What a spent budget means on this plan: custom voices give way first, speech stops at the hard limit. */
function spentNote({ plan, used_characters }: UsageBudget): string {
  const hard = plan.hard_limit_characters;
  if (hard !== null && used_characters >= hard)
    return 'Past the hard limit: replies are text only until next month.';
  const voices = plan.voice === 'custom' ? ': custom voices give way to default voices' : '';
  const then = hard === null ? '' : `; replies become text only past ${formatCount(hard)} characters`;
  return `This month's budget is spent${voices}${then}.`;
}

function BudgetBar({ budget }: { budget: UsageBudget }) {
  if (budget.monthly_characters === null) {
    return (
      <StatusIndicator type="success">
        Unlimited: {formatCount(budget.used_characters)} characters spoken this month
      </StatusIndicator>
    );
  }
  if (budget.monthly_characters === 0) {
    return (
      <StatusIndicator type="info">This plan includes no speech; replies are text only.</StatusIndicator>
    );
  }
  const share = budget.used_share ?? budget.used_characters / budget.monthly_characters;
  const over = share >= 1;
  return (
    <ProgressBar
      label={`Budget used in ${monthName(budget.month)}`}
      value={Math.min(100, Math.round(share * 1000) / 10)}
      description={`${formatCount(budget.used_characters)} of ${formatCount(budget.monthly_characters)} characters (${formatPercent(share)})`}
      additionalInfo={
        over ? spentNote(budget) : `${formatCount(budget.left_characters ?? 0)} characters left this month`
      }
      {...(over
        ? { status: 'error' as const, resultText: `${formatPercent(share)} of the budget used` }
        : {})}
    />
  );
}

export function PlanBudget({ budget }: { budget: UsageBudget }) {
  const { plan } = budget;
  return (
    <Container
      header={
        <Header variant="h2" description="Set by your operator">
          Plan and budget
        </Header>
      }
    >
      <SpaceBetween size="l">
        <KeyValuePairs
          columns={3}
          ariaLabel="Plan"
          items={[
            { label: 'Plan', value: plan.name },
            { label: 'Voices', value: VOICES[plan.voice] },
            { label: 'Custom voices', value: unlimitedOr(plan.custom_voices, formatCount) },
            {
              label: 'Characters a month',
              value: unlimitedOr(plan.monthly_characters, formatCount),
            },
            {
              label: 'Text only after',
              value:
                plan.hard_limit_characters === null
                  ? 'Never'
                  : `${formatCount(plan.hard_limit_characters)} characters`,
            },
            { label: 'Cost this month', value: formatUsd(budget.cost_usd) },
          ]}
        />
        <Box>
          <BudgetBar budget={budget} />
        </Box>
      </SpaceBetween>
    </Container>
  );
}
