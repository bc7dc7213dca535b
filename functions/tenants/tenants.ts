// Tenant settings: which personality chat uses when a request names none.
import { BadRequestError, AppError } from '../http/errors.ts';
import { getPersonality } from '../personalities/personalities.ts';
import { table } from '../store/table.ts';
import type { TenantSettings, TenantSettingsUpdate } from './schemas.ts';

/** Samples outlive their voice this long unless the tenant says otherwise; the bucket's lifecycle rule matches. */
export const DEFAULT_SAMPLE_RETENTION_DAYS = 30;

export async function getTenantSettings(tenantId: string): Promise<TenantSettings> {
  const { data } = await table().tenantProfiles.get({ tenant_id: tenantId }).go({ consistent: true });
  return {
    tenant_id: tenantId,
    primary_personality_id: data?.primary_personality_id ?? null,
    default_voice: (data?.default_voice as TenantSettings['default_voice'] | undefined) ?? null,
    sample_retention_days: data?.sample_retention_days ?? DEFAULT_SAMPLE_RETENTION_DAYS,
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
  } = change;
  if (primary) await checkPrimary(tenantId, primary);
  const updated_at = new Date().toISOString();
  const removals: Array<'primary_personality_id' | 'default_voice'> = [];
  if (primary === null) removals.push('primary_personality_id');
  if (defaultVoice === null) removals.push('default_voice');
  let update = table()
    .tenantProfiles.update({ tenant_id: tenantId })
    .set({
      updated_at,
      ...(primary ? { primary_personality_id: primary } : {}),
      ...(defaultVoice ? { default_voice: defaultVoice } : {}),
      ...(retention !== undefined ? { sample_retention_days: retention } : {}),
    });
  if (removals.length) update = update.remove(removals);
  await update.go();
  return getTenantSettings(tenantId);
}
