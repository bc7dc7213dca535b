// The month's speech budget as the table holds it: what has been spoken so far, and the one warning at 80%.
import { logger } from '../powertools.ts';
import { isConditionFailure } from '../store/dynamodb.ts';
import { table } from '../store/table.ts';
import type { Plan } from '../tenants/plans.ts';
import { emitWebhookEvent } from '../webhooks/events.ts';
import { billableCharacters, budgetWarningDue, monthOf } from './allowance.ts';

/** The `kind` of the tenant alert that marks the month's 80% warning as sent. */
export const BUDGET_WARNING_ALERT = 'budget_80';

export interface MonthUsage {
  month: string;
  /** Characters a provider was paid for (cache hits excluded). */
  billableCharacters: number;
  costUsd: number;
  /** The 80% warning of this month has gone out. */
  warned: boolean;
}

/** The tenant's `all` counter of a month; a month without speech has none, and reads as zero. */
export async function monthCounter(tenantId: string, month: string) {
  const { data } = await table()
    .usageCounters.get({ tenant_id: tenantId, month, scope: 'all' })
    .go({ consistent: true });
  return data;
}

/** The month's usage from its `all` counter and its 80% alert, either of which may not exist yet. */
export function monthUsageOf(
  month: string,
  counter: Awaited<ReturnType<typeof monthCounter>>,
  alert: unknown,
): MonthUsage {
  return {
    month,
    billableCharacters: billableCharacters(counter),
    costUsd: counter?.cost_usd ?? 0,
    warned: Boolean(alert),
  };
}

/** This month's spoken characters and whether the warning went out, read together before speaking. */
export async function monthUsage(tenantId: string, now = new Date()): Promise<MonthUsage> {
  const month = monthOf(now);
  const [counter, alert] = await Promise.all([
    monthCounter(tenantId, month),
    table()
      .tenantAlerts.get({ tenant_id: tenantId, month, kind: BUDGET_WARNING_ALERT })
      .go({ consistent: true }),
  ]);
  return monthUsageOf(month, counter, alert.data);
}

/**
 * After speech: when the month has reached 80% of the plan's budget and no warning went out, the alert is created
 * conditionally, so of many requests crossing together exactly one sends `usage.budget.80_percent`. Neither the
 * alert nor the webhook can fail the speech that triggered them.
 */
export async function noteSpokenCharacters(
  tenantId: string,
  plan: Plan,
  before: MonthUsage,
  spokenBillable: number,
): Promise<void> {
  const used = before.billableCharacters + spokenBillable;
  if (!budgetWarningDue(plan, used, before.warned)) return;
  try {
    await table()
      .tenantAlerts.create({
        tenant_id: tenantId,
        month: before.month,
        kind: BUDGET_WARNING_ALERT,
        created_at: new Date().toISOString(),
      })
      .go();
  } catch (error) {
    if (!isConditionFailure(error)) {
      logger.error('budget warning not recorded', { tenantId, error: error as Error });
    }
    return;
  }
  try {
    await emitWebhookEvent(tenantId, 'usage.budget.80_percent', {
      month: before.month,
      plan: plan.id,
      monthly_characters: plan.monthlyCharacters,
      used_characters: used,
    });
  } catch (error) {
    logger.error('budget warning webhook not sent', { tenantId, error: error as Error });
  }
}
