// Every item of the one table and how its keys are built: tenant first, so one tenant's keys never meet another's.
import { Entity, type Schema } from 'electrodb';

const SERVICE = 'voice';

/** Attribute names of the table's keys; the CDK table and the local table are built with the same. */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk', timeToLive: 'expiresAt' } as const;

export const personalityModel = {
  model: { entity: 'personality', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    based_on: { type: 'string' },
    traits: { type: 'any', required: true },
    response_style: { type: 'any', required: true },
    system_prompt: { type: 'string' },
    emoji: { type: 'string' },
    language: { type: 'string', required: true },
    is_active: { type: 'boolean', required: true },
    voice_config: { type: 'any' },
    version: { type: 'number', required: true },
    created_at: { type: 'string', required: true, readOnly: true },
    updated_at: { type: 'string', required: true },
  },
  indexes: {
    byTenant: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}',
        casing: 'none',
      },
      sk: { field: TABLE_KEYS.sortKey, composite: ['id'], template: 'PERSONALITY#${id}', casing: 'none' },
    },
  },
} as const satisfies Schema<string, string, string>;

export const tenantProfileModel = {
  model: { entity: 'tenantProfile', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    primary_personality_id: { type: 'string' },
    updated_at: { type: 'string', required: true },
  },
  indexes: {
    profile: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}',
        casing: 'none',
      },
      sk: { field: TABLE_KEYS.sortKey, composite: [], template: 'PROFILE', casing: 'none' },
    },
  },
} as const satisfies Schema<string, string, string>;

export type EntityOptions = ConstructorParameters<typeof Entity>[1];

export const createEntities = (options: EntityOptions) => ({
  personalities: new Entity(personalityModel, options),
  tenantProfiles: new Entity(tenantProfileModel, options),
});

export type Entities = ReturnType<typeof createEntities>;
