// What speaking needs to know besides the text, read at once: the providers, the tenant's plan and month, and the
// pronunciations of the personality.
import type { Pronunciation } from '../providers/tts/port.ts';
import { providerRegistry, type ProviderRegistry } from '../providers/tts/registry.ts';
import { tenantProfile } from '../tenants/tenants.ts';
import { monthUsage, type MonthUsage } from '../usage/budget.ts';
import { effectiveLexicon } from './lexicon.ts';

export interface SpeechContext {
  registry: ProviderRegistry;
  tenant: Awaited<ReturnType<typeof tenantProfile>>;
  usage: MonthUsage;
  lexicon: Pronunciation[];
}

/**
 * Reads the speech context, all at once. A chat turn starts this before its model answers and shares it between the
 * reply's sentences: the plan and month are then as they were when the turn began, as for one whole reply.
 */
export function speechContext(tenantId: string, personalityId: string): Promise<SpeechContext> {
  const reading = Promise.all([
    providerRegistry(),
    tenantProfile(tenantId),
    monthUsage(tenantId),
    effectiveLexicon(tenantId, personalityId),
  ]).then(([registry, tenant, usage, lexicon]) => ({ registry, tenant, usage, lexicon }));
  // Awaited later, or never if the turn fails first: a failed read must not go unhandled meanwhile.
  reading.catch(() => undefined);
  return reading;
}
