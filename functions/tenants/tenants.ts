// Tenant settings: the plan (read-only), which personality chat uses when a request names none, the default voice,
// sample retention, and where webhook events go.
import { randomBytes } from 'node:crypto';
import { BadRequestError, AppError } from '../http/errors.ts';
import { getPersonality } from '../personalities/personalities.ts';
import type { Entities } from '../store/models.ts';
import { table } from '../store/table.ts';
import { planOf, type Plan, type PlanId } from './plans.ts';
import type { PlanSummary, TenantSettings, TenantSettingsUpdate } from './schemas.ts';
import { webhookUrlProblem } from './webhook-url.ts';

/** Samples outlive their voice this long unless the tenant says otherwise; the bucket's lifecycle rule matches. */
export const DEFAULT_SAMPLE_RETENTION_DAYS = 30;

export function planSummary(plan: Plan): PlanSummary {
  return {
    id: plan.id,
    name: plan.name,
    voice: plan.voice,
    custom_voices: plan.customVoices,
    monthly_characters: plan.monthlyCharacters,
    hard_limit_characters: plan.hardLimitCharacters,
    requests_per_minute: plan.requestsPerMinute,
  };
}

type StoredProfile = Awaited<ReturnType<ReturnType<Entities['tenantProfiles']['get']>['go']>>['data'];

/** The stored profile as the services use it: the plan resolved, the webhook secret included. */
export function profileOf(data: StoredProfile) {
  return { ...data, plan: planOf(data?.plan) };
}

export async function tenantProfile(tenantId: string) {
  const { data } = await table().tenantProfiles.get({ tenant_id: tenantId }).go({ consistent: true });
  return profileOf(data);
}

export async function getTenantPlan(tenantId: string): Promise<Plan> {
  return (await tenantProfile(tenantId)).plan;
}

export async function getTenantSettings(tenantId: string): Promise<TenantSettings> {
  const { data } = await table().tenantProfiles.get({ tenant_id: tenantId }).go({ consistent: true });
  return {
    tenant_id: tenantId,
    plan: planSummary(planOf(data?.plan)),
    primary_personality_id: data?.primary_personality_id ?? null,
    default_voice: (data?.default_voice as TenantSettings['default_voice'] | undefined) ?? null,
    sample_retention_days: data?.sample_retention_days ?? DEFAULT_SAMPLE_RETENTION_DAYS,
    webhook_url: data?.webhook_url ?? null,
    webhook_secret_set: Boolean(data?.webhook_secret),
    ...(data?.updated_at ? { updated_at: data.updated_at } : {}),
  };
}

/** The primary personality must exist in the tenant and be active, or chat would resolve to nothing. */
async function checkPrimary(tenantId: string, primary: string): Promise<void> {
  const personality = await getPersonality(tenantId, primary).catch((error: unknown) => {
    if (error instanceof AppError && error.status === 404) {
      throw new BadRequestError(
        'invalid_request',
        `primary_personality_id: no personality "${primary}" in this tenant.`,
        [{ field: 'primary_personality_id', message: 'unknown personality' }],
      );
    }
    throw error;
  });
  if (!personality.is_active) {
    throw new BadRequestError(
      'invalid_request',
      `primary_personality_id: "${primary}" is not active; activate it first.`,
      [{ field: 'primary_personality_id', message: 'inactive personality' }],
    );
  }
}

/** Changes the settings named in the update; a null clears one, an absent one is left as it is. */
export async function updateTenantSettings(
  tenantId: string,
  change: TenantSettingsUpdate,
): Promise<TenantSettings> {
  const {
    primary_personality_id: primary,
    default_voice: defaultVoice,
    sample_retention_days: retention,
    webhook_url: webhookUrl,
  } = change;
  if (primary) await checkPrimary(tenantId, primary);
  if (webhookUrl) {
    const problem = webhookUrlProblem(webhookUrl);
    if (problem) {
      throw new BadRequestError('invalid_request', `webhook_url: ${problem}`, [
        { field: 'webhook_url', message: problem },
      ]);
    }
  }
  const updated_at = new Date().toISOString();
  const removals: Array<'primary_personality_id' | 'default_voice' | 'webhook_url'> = [];
  if (primary === null) removals.push('primary_personality_id');
  if (defaultVoice === null) removals.push('default_voice');
  if (webhookUrl === null) removals.push('webhook_url');
  // The first URL gets a signing secret, shown in this answer only; later changes keep it (rotate to replace it).
  const secret =
    webhookUrl && !(await tenantProfile(tenantId)).webhook_secret ? newWebhookSecret() : undefined;
  let update = table()
    .tenantProfiles.update({ tenant_id: tenantId })
    .set({
      updated_at,
      ...(primary ? { primary_personality_id: primary } : {}),
      ...(defaultVoice ? { default_voice: defaultVoice } : {}),
      ...(retention !== undefined ? { sample_retention_days: retention } : {}),
      ...(webhookUrl ? { webhook_url: webhookUrl } : {}),
      ...(secret ? { webhook_secret: secret, webhook_secret_created_at: updated_at } : {}),
    });
  if (removals.length) update = update.remove(removals);
  await update.go();
  return { ...(await getTenantSettings(tenantId)), ...(secret ? { webhook_secret: secret } : {}) };
}

/** In the Standard Webhooks form: `whsec_` and base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Replaces the signing secret; the new one is in this answer only. */
export async function rotateWebhookSecret(
  tenantId: string,
): Promise<{ webhook_secret: string; created_at: string }> {
  const created_at = new Date().toISOString();
  const webhook_secret = newWebhookSecret();
  await table()
    .tenantProfiles.update({ tenant_id: tenantId })
    .set({ webhook_secret, webhook_secret_created_at: created_at, updated_at: created_at })
    .go();
  return { webhook_secret, created_at };
}

/** Puts a tenant on a plan: an operator's act (bin/tenant-plan.ts), never a tenant admin's. */
export async function setTenantPlan(tenantId: string, plan: PlanId): Promise<TenantSettings> {
  await table()
    .tenantProfiles.upsert({ tenant_id: tenantId, plan, updated_at: new Date().toISOString() })
    .go();
  return getTenantSettings(tenantId);
}
