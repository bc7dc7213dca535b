// Tenant settings as the API reads and writes them.
import * as z from 'zod';
import { PersonalityId, TtsProviderName } from '../personalities/schemas.ts';

/** The tenant's own last-resort voice, tried after a personality's voice and its fallback. */
export const DefaultVoice = z
  .strictObject({
    provider: TtsProviderName,
    voice_id: z.string().trim().min(1).max(200),
    model: z.string().trim().min(1).max(100).optional(),
  })
  .meta({ id: 'DefaultVoice' });

export const PlanSummary = z
  .object({
    id: z.enum(['free', 'small_business', 'professional', 'enterprise']),
    name: z.string(),
    voice: z
      .enum(['none', 'default', 'custom'])
      .describe('none: text only; default: default voices; custom: cloned voices too'),
    custom_voices: z.int().nullable().describe('Custom voices allowed at once; null is unlimited'),
    monthly_characters: z
      .int()
      .nullable()
      .describe('Characters a month before custom voices give way to default ones; null is unlimited'),
    hard_limit_characters: z
      .int()
      .nullable()
      .describe('Characters a month after which replies are text only; null is unlimited'),
    requests_per_minute: z.int().describe('Per API key'),
  })
  .meta({ id: 'PlanSummary' });
export type PlanSummary = z.infer<typeof PlanSummary>;

/** https only (plain http where the deployment allows it, as the local stack does); checked again when sending. */
export const WebhookUrl = z
  .url({ protocol: /^https?$/, normalize: true })
  .max(2048)
  .describe('Where webhook events are POSTed; https');

export const TenantSettings = z
  .object({
    tenant_id: z.string(),
    plan: PlanSummary.describe('Set by the operator; read-only here'),
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
    webhook_url: z.string().nullable(),
    webhook_secret_set: z
      .boolean()
      .describe('Whether deliveries are signed yet; the secret is shown only once'),
    webhook_secret: z
      .string()
      .optional()
      .describe('The signing secret, present only in the answer that made it: keep it now'),
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
    webhook_url: WebhookUrl.nullable().optional(),
  })
  .refine((update) => Object.keys(update).length > 0, 'name at least one setting to change')
  .meta({ id: 'TenantSettingsUpdate' });
export type TenantSettingsUpdate = z.infer<typeof TenantSettingsUpdate>;
