// Every item of the one table and how its keys are built: tenant first, so one tenant's keys never meet another's.
import { Entity, Service, type Schema } from 'electrodb';

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
    /** The tenant's own last-resort voice: `{ provider, voice_id, model? }`. */
    default_voice: { type: 'any' },
    sample_retention_days: { type: 'number' },
    /** Set by an operator (bin/tenant-plan.ts); absent means the configured default plan. */
    plan: { type: 'string' },
    webhook_url: { type: 'string' },
    /** Signs webhook deliveries; shown to the admin once, when made. */
    webhook_secret: { type: 'string' },
    webhook_secret_created_at: { type: 'string' },
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

/** One sentence synthesised or served from cache: what it cost, or what the cache saved. */
export const usageRecordModel = {
  model: { entity: 'usageRecord', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    /** yyyy-mm: a month's records share a partition, read in one query for the usage API. */
    month: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    created_at: { type: 'string', required: true, readOnly: true },
    personality_id: { type: 'string' },
    provider: { type: 'string', required: true },
    model: { type: 'string', required: true },
    voice_id: { type: 'string', required: true },
    characters: { type: 'number', required: true },
    audio_seconds: { type: 'number', required: true },
    cost_usd: { type: 'number', required: true },
    cached: { type: 'boolean', required: true },
    saved_usd: { type: 'number', required: true },
    request_id: { type: 'string' },
  },
  indexes: {
    byMonth: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id', 'month'],
        template: 'TENANT#${tenant_id}#USAGE#${month}',
        casing: 'none',
      },
      sk: {
        field: TABLE_KEYS.sortKey,
        composite: ['created_at', 'id'],
        template: '${created_at}#${id}',
        casing: 'none',
      },
    },
  },
} as const satisfies Schema<string, string, string>;

/** Monthly totals, bumped atomically with each record: `all` for the tenant, and one per provider. */
export const usageCounterModel = {
  model: { entity: 'usageCounter', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    month: { type: 'string', required: true, readOnly: true },
    scope: { type: 'string', required: true, readOnly: true },
    requests: { type: 'number' },
    characters: { type: 'number' },
    audio_seconds: { type: 'number' },
    cost_usd: { type: 'number' },
    cached_requests: { type: 'number' },
    cached_characters: { type: 'number' },
    saved_usd: { type: 'number' },
  },
  indexes: {
    byMonth: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}',
        casing: 'none',
      },
      sk: {
        field: TABLE_KEYS.sortKey,
        composite: ['month', 'scope'],
        template: 'USAGE#${month}#${scope}',
        casing: 'none',
      },
    },
  },
} as const satisfies Schema<string, string, string>;

/** Pronunciations for one personality, or for the whole tenant (scope `_tenant`). */
export const lexiconModel = {
  model: { entity: 'lexicon', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    scope: { type: 'string', required: true, readOnly: true },
    entries: { type: 'any', required: true },
    version: { type: 'number', required: true },
    updated_at: { type: 'string', required: true },
  },
  indexes: {
    byScope: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}',
        casing: 'none',
      },
      sk: { field: TABLE_KEYS.sortKey, composite: ['scope'], template: 'LEXICON#${scope}', casing: 'none' },
    },
  },
} as const satisfies Schema<string, string, string>;

/**
 * A recording uploaded for cloning. Keyed `SAMPLE#<personality>#<id>` rather than under `PERSONALITY#…`, so listing
 * personalities never reads samples.
 */
export const voiceSampleModel = {
  model: { entity: 'voiceSample', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    personality_id: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    file_name: { type: 'string', required: true },
    content_type: { type: 'string', required: true },
    declared_size: { type: 'number', required: true },
    s3_key: { type: 'string', required: true },
    /** pending (registered, not yet uploaded or checked) → valid | rejected. */
    status: { type: ['pending', 'valid', 'rejected'] as const, required: true },
    report: { type: 'any' },
    duration_seconds: { type: 'number' },
    created_at: { type: 'string', required: true, readOnly: true },
    validated_at: { type: 'string' },
    /** Set when the sample's voice is deleted: the record then lives as long as the tenant keeps samples. */
    expiresAt: { type: 'number' },
  },
  indexes: {
    byPersonality: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}',
        casing: 'none',
      },
      sk: {
        field: TABLE_KEYS.sortKey,
        composite: ['personality_id', 'id'],
        template: 'SAMPLE#${personality_id}#${id}',
        casing: 'none',
      },
    },
  },
} as const satisfies Schema<string, string, string>;

/** One voice training: its request (consent included), its progress through the state machine, its outcome. */
export const trainingJobModel = {
  model: { entity: 'trainingJob', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    personality_id: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    status: { type: ['queued', 'running', 'ready', 'failed', 'deleted'] as const, required: true },
    step: { type: 'string', required: true },
    progress: { type: 'number', required: true },
    provider: { type: 'string', required: true },
    voice_id: { type: 'string' },
    sample_ids: { type: 'list', items: { type: 'string' }, required: true },
    settings: { type: 'any' },
    consent: { type: 'any', required: true },
    requested_by: { type: 'string', required: true },
    previous_voice_config: { type: 'any' },
    execution_arn: { type: 'string' },
    error: { type: 'any' },
    created_at: { type: 'string', required: true, readOnly: true },
    updated_at: { type: 'string', required: true },
  },
  indexes: {
    byPersonality: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}',
        casing: 'none',
      },
      sk: {
        field: TABLE_KEYS.sortKey,
        composite: ['personality_id', 'id'],
        template: 'TRAINING#${personality_id}#${id}',
        casing: 'none',
      },
    },
  },
} as const satisfies Schema<string, string, string>;

/** When the tenant last started a training: at most one an hour. */
export const trainingLockModel = {
  model: { entity: 'trainingLock', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    job_id: { type: 'string', required: true },
    started_at: { type: 'number', required: true },
  },
  indexes: {
    lock: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}',
        casing: 'none',
      },
      sk: { field: TABLE_KEYS.sortKey, composite: [], template: 'TRAINING_LOCK', casing: 'none' },
    },
  },
} as const satisfies Schema<string, string, string>;

/** Who did what: training requested, voice deleted, and later keys created. */
export const auditEventModel = {
  model: { entity: 'auditEvent', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    created_at: { type: 'string', required: true, readOnly: true },
    action: { type: 'string', required: true },
    actor: { type: 'string', required: true },
    personality_id: { type: 'string' },
    details: { type: 'any' },
  },
  indexes: {
    byTime: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}#AUDIT',
        casing: 'none',
      },
      sk: {
        field: TABLE_KEYS.sortKey,
        composite: ['created_at', 'id'],
        template: '${created_at}#${id}',
        casing: 'none',
      },
    },
  },
} as const satisfies Schema<string, string, string>;

/** A conversation's own item, beside its messages in the conversation's partition. */
export const conversationModel = {
  model: { entity: 'conversation', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    personality_id: { type: 'string', required: true },
    created_at: { type: 'string', required: true, readOnly: true },
    updated_at: { type: 'string', required: true },
  },
  indexes: {
    byConversation: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id', 'id'],
        template: 'TENANT#${tenant_id}#CONV#${id}',
        casing: 'none',
      },
      sk: { field: TABLE_KEYS.sortKey, composite: [], template: 'META', casing: 'none' },
    },
  },
} as const satisfies Schema<string, string, string>;

/** One message; the sequence number in the key is written only if free, so concurrent posts never overwrite. */
export const conversationMessageModel = {
  model: { entity: 'conversationMessage', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    conversation_id: { type: 'string', required: true, readOnly: true },
    /** Zero-padded so the sort key orders numerically. */
    seq: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    role: { type: ['user', 'assistant'] as const, required: true },
    text: { type: 'string', required: true },
    /** What the model wrote, before the personality's styling; what was spoken. */
    model_text: { type: 'string' },
    personality_id: { type: 'string', required: true },
    audio_keys: { type: 'list', items: { type: 'string' } },
    meta: { type: 'any' },
    created_at: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    bySequence: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id', 'conversation_id'],
        template: 'TENANT#${tenant_id}#CONV#${conversation_id}',
        casing: 'none',
      },
      sk: { field: TABLE_KEYS.sortKey, composite: ['seq'], template: 'MSG#${seq}', casing: 'none' },
    },
  },
} as const satisfies Schema<string, string, string>;

/** Finds a tenant API key by the SHA-256 of its secret: the one lookup each keyed request makes. */
export const apiKeyLookupModel = {
  model: { entity: 'apiKeyLookup', version: '1', service: SERVICE },
  attributes: {
    key_hash: { type: 'string', required: true, readOnly: true },
    tenant_id: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byHash: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['key_hash'],
        template: 'APIKEY#${key_hash}',
        casing: 'none',
      },
      sk: { field: TABLE_KEYS.sortKey, composite: [], template: 'KEY', casing: 'none' },
    },
  },
} as const satisfies Schema<string, string, string>;

/** A tenant API key as its admins see it; the secret itself is never stored, only its hash. */
export const apiKeyModel = {
  model: { entity: 'apiKey', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    key_hash: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    /** The first characters of the secret, so a person can tell keys apart. */
    prefix: { type: 'string', required: true, readOnly: true },
    created_at: { type: 'string', required: true, readOnly: true },
    created_by: { type: 'string', required: true, readOnly: true },
    last_used_at: { type: 'string' },
    revoked_at: { type: 'string' },
  },
  indexes: {
    byTenant: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}',
        casing: 'none',
      },
      sk: { field: TABLE_KEYS.sortKey, composite: ['id'], template: 'APIKEY#${id}', casing: 'none' },
    },
  },
} as const satisfies Schema<string, string, string>;

/** A token bucket per API key: requests per minute, refilled continuously. */
export const rateBucketModel = {
  model: { entity: 'rateBucket', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    key_id: { type: 'string', required: true, readOnly: true },
    tokens: { type: 'number', required: true },
    /** Epoch milliseconds of the last refill. */
    refilled_at: { type: 'number', required: true },
    expiresAt: { type: 'number' },
  },
  indexes: {
    byKey: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}',
        casing: 'none',
      },
      sk: { field: TABLE_KEYS.sortKey, composite: ['key_id'], template: 'RATE#${key_id}', casing: 'none' },
    },
  },
} as const satisfies Schema<string, string, string>;

/** One webhook event on its way to the tenant's URL, and how its delivery went. */
export const webhookDeliveryModel = {
  model: { entity: 'webhookDelivery', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    created_at: { type: 'string', required: true, readOnly: true },
    event_type: { type: 'string', required: true, readOnly: true },
    url: { type: 'string', required: true },
    /** The exact JSON body sent, so every retry signs and sends the same bytes. */
    payload: { type: 'string', required: true, readOnly: true },
    status: { type: ['pending', 'delivered', 'failed'] as const, required: true },
    attempts: { type: 'number', required: true },
    last_status_code: { type: 'number' },
    last_error: { type: 'string' },
    next_attempt_at: { type: 'string' },
    delivered_at: { type: 'string' },
    updated_at: { type: 'string', required: true },
    expiresAt: { type: 'number' },
  },
  indexes: {
    byTime: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}#WEBHOOK',
        casing: 'none',
      },
      sk: { field: TABLE_KEYS.sortKey, composite: ['id'], template: 'DELIVERY#${id}', casing: 'none' },
    },
  },
} as const satisfies Schema<string, string, string>;

/** A notice sent at most once per tenant and month (the 80% budget warning), made with a conditional create. */
export const tenantAlertModel = {
  model: { entity: 'tenantAlert', version: '1', service: SERVICE },
  attributes: {
    tenant_id: { type: 'string', required: true, readOnly: true },
    month: { type: 'string', required: true, readOnly: true },
    kind: { type: 'string', required: true, readOnly: true },
    created_at: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byMonth: {
      pk: {
        field: TABLE_KEYS.partitionKey,
        composite: ['tenant_id'],
        template: 'TENANT#${tenant_id}',
        casing: 'none',
      },
      sk: {
        field: TABLE_KEYS.sortKey,
        composite: ['month', 'kind'],
        template: 'ALERT#${month}#${kind}',
        casing: 'none',
      },
    },
  },
} as const satisfies Schema<string, string, string>;

export type EntityOptions = ConstructorParameters<typeof Entity>[1];

export const createEntities = (options: EntityOptions) => {
  const entities = {
    personalities: new Entity(personalityModel, options),
    tenantProfiles: new Entity(tenantProfileModel, options),
    usageRecords: new Entity(usageRecordModel, options),
    usageCounters: new Entity(usageCounterModel, options),
    lexicons: new Entity(lexiconModel, options),
    voiceSamples: new Entity(voiceSampleModel, options),
    trainingJobs: new Entity(trainingJobModel, options),
    trainingLocks: new Entity(trainingLockModel, options),
    auditEvents: new Entity(auditEventModel, options),
    conversations: new Entity(conversationModel, options),
    conversationMessages: new Entity(conversationMessageModel, options),
    apiKeyLookups: new Entity(apiKeyLookupModel, options),
    apiKeys: new Entity(apiKeyModel, options),
    rateBuckets: new Entity(rateBucketModel, options),
    webhookDeliveries: new Entity(webhookDeliveryModel, options),
    tenantAlerts: new Entity(tenantAlertModel, options),
  };
  return { ...entities, service: new Service(entities, options) };
};

export type Entities = ReturnType<typeof createEntities>;
