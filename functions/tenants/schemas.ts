// Tenant settings as the API reads and writes them.
import { z } from 'zod';
import { PersonalityId, TtsProviderName } from '../personalities/schemas.ts';

/** The tenant's own last-resort voice, tried after a personality's voice and its fallback. */
export const DefaultVoice = z
  .strictObject({
    provider: TtsProviderName,
    voice_id: z.string().trim().min(1).max(200),
    model: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: 'DefaultVoice' });

export const TenantSettings = z
  .object({
    tenant_id: z.string(),
    primary_personality_id: PersonalityId.nullable().describe(
      'The personality chat uses when a request names none; null falls back to the first active one',
    ),
    default_voice: DefaultVoice.nullable().describe(
      "Speaks when a personality's own voice and its fallback cannot; null leaves the platform default",
    ),
    sample_retention_days: z
      .int()
      .min(0)
      .max(30)
      .describe('Days voice samples are kept after their voice is deleted (0: at once); at most 30'),
    updated_at: z.string().optional(),
  })
  .meta({ id: 'TenantSettings' });
export type TenantSettings = z.infer<typeof TenantSettings>;

/** Names only the settings to change; null clears one. */
export const TenantSettingsUpdate = z
  .strictObject({
    primary_personality_id: PersonalityId.nullable().optional(),
    default_voice: DefaultVoice.nullable().optional(),
    sample_retention_days: z.int().min(0).max(30).optional(),
  })
  .refine((update) => Object.keys(update).length > 0, 'name at least one setting to change')
  .meta({ id: 'TenantSettingsUpdate' });
export type TenantSettingsUpdate = z.infer<typeof TenantSettingsUpdate>;
