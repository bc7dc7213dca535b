// Tenant settings as the API reads and writes them.
import { z } from 'zod';
import { PersonalityId } from '../personalities/schemas.ts';

export const TenantSettings = z
  .object({
    tenant_id: z.string(),
    primary_personality_id: PersonalityId.nullable().describe(
      'The personality chat uses when a request names none; null falls back to the first active one',
    ),
    updated_at: z.string().optional(),
  })
  .meta({ id: 'TenantSettings' });
export type TenantSettings = z.infer<typeof TenantSettings>;

export const TenantSettingsUpdate = z
  .strictObject({
    primary_personality_id: PersonalityId.nullable(),
  })
  .meta({ id: 'TenantSettingsUpdate' });
export type TenantSettingsUpdate = z.infer<typeof TenantSettingsUpdate>;
