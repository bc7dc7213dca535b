// What speaking needs to know besides the text: the providers, the tenant's plan and month, and the pronunciations
// of the personality; the table's part read in one round trip.
import type { Pronunciation } from '../providers/tts/port.ts';
import { providerRegistry, type ProviderRegistry } from '../providers/tts/registry.ts';
import { getItems, itemRead } from '../store/batch-get.ts';
import { table } from '../store/table.ts';
import { profileOf } from '../tenants/tenants.ts';
import { monthOf } from '../usage/allowance.ts';
import { BUDGET_WARNING_ALERT, monthUsageOf, type MonthUsage } from '../usage/budget.ts';
import { mergedLexicon, TENANT_SCOPE } from './lexicon.ts';

export interface SpeechContext {
  registry: ProviderRegistry;
  tenant: ReturnType<typeof profileOf>;
  usage: MonthUsage;
  lexicon: Pronunciation[];
}

/** The tenant's profile, this month's counter and 80% alert, and both lexicons: one consistent batch read. */
async function storedContext(tenantId: string, personalityId: string) {
  const month = monthOf(new Date());
  const { tenantProfiles, usageCounters, tenantAlerts, lexicons } = table();
  const [profile, counter, alert, tenantWide, own] = await getItems([
    itemRead(tenantProfiles.get({ tenant_id: tenantId }), tenantProfiles),
    itemRead(usageCounters.get({ tenant_id: tenantId, month, scope: 'all' }), usageCounters),
    itemRead(tenantAlerts.get({ tenant_id: tenantId, month, kind: BUDGET_WARNING_ALERT }), tenantAlerts),
    itemRead(lexicons.get({ tenant_id: tenantId, scope: TENANT_SCOPE }), lexicons),
    itemRead(lexicons.get({ tenant_id: tenantId, scope: personalityId }), lexicons),
  ]);
  const entries = (lexicon: typeof own) => (lexicon?.entries ?? []) as Pronunciation[];
  return {
    tenant: profileOf(profile),
    usage: monthUsageOf(month, counter, alert),
    lexicon: mergedLexicon(entries(tenantWide), entries(own)),
  };
}

/**
 * Reads the speech context, all at once. A chat turn starts this before its model answers and shares it between the
 * reply's sentences: the plan and month are then as they were when the turn began, as for one whole reply.
 */
export function speechContext(tenantId: string, personalityId: string): Promise<SpeechContext> {
  const reading = Promise.all([providerRegistry(), storedContext(tenantId, personalityId)]).then(
    ([registry, stored]) => ({ registry, ...stored }),
  );
  // Awaited later, or never if the turn fails first: a failed read must not go unhandled meanwhile.
  reading.catch(() => undefined);
  return reading;
}
