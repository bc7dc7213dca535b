// The personalities capability: built-ins every tenant sees, the tenant's own, and copy-on-customise with versions.
import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { assertSettingsInRange } from '../providers/tts/setting-ranges.ts';
import { isConditionFailure } from '../store/dynamodb.ts';
import { table } from '../store/table.ts';
import { builtinIds, builtinPersonality, isBuiltinId } from './builtins.ts';
import { Personality, type PersonalityCreate, type PersonalityUpdate, type VoiceConfig } from './schemas.ts';

type PersonalityRecord = Omit<Personality, 'source'> & {
  tenant_id: string;
  created_at: string;
  updated_at: string;
};

/** Through the schema on the way out: the API shape, in a stable key order, whatever the record holds besides. */
function toPersonality(record: PersonalityRecord): Personality {
  return Personality.parse({ ...record, source: 'tenant' });
}

function notFound(id: string): NotFoundError {
  return new NotFoundError('personality_not_found', `No personality with id "${id}" in this tenant.`);
}

function staleVersion(id: string, expected: number, current: number): ConflictError {
  return new ConflictError(
    'version_conflict',
    `Personality "${id}" is at version ${current}, not ${expected}: someone changed it since you read it. Read it again and reapply your change.`,
    { current_version: current },
  );
}

function slug(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return base || 'personality';
}

function newId(name: string): string {
  // A readable slug plus a random suffix: never a built-in's id, and two "Marcel"s do not collide.
  return `${slug(name)}-${randomBytes(4).toString('hex').slice(0, 6)}`;
}

async function findTenantRecord(tenantId: string, id: string): Promise<PersonalityRecord | undefined> {
  const { data } = await table().personalities.get({ tenant_id: tenantId, id }).go({ consistent: true });
  return (data as PersonalityRecord | null) ?? undefined;
}

async function tenantRecords(tenantId: string): Promise<PersonalityRecord[]> {
  const { data } = await table().personalities.query.byTenant({ tenant_id: tenantId }).go({ pages: 'all' });
  return data as PersonalityRecord[];
}

/** The voice configuration after a client's change: what the cloning workflow owns is kept. */
function mergeVoiceConfig(
  current: VoiceConfig | undefined,
  change: PersonalityUpdate['voice_config'],
): VoiceConfig | undefined {
  if (!change) return current;
  return {
    ...change,
    status: current?.status ?? 'none',
    ...(current?.created_at ? { created_at: current.created_at } : {}),
    ...(current?.sample_keys ? { sample_keys: current.sample_keys } : {}),
  };
}

function applyChange<T extends Omit<Personality, 'source' | 'version'>>(
  current: T,
  change: PersonalityUpdate,
): T {
  const { version: _version, traits, response_style, voice_config, ...fields } = change;
  return {
    ...current,
    ...fields,
    traits: { ...current.traits, ...traits },
    response_style: { ...current.response_style, ...response_style },
    voice_config: mergeVoiceConfig(current.voice_config, voice_config),
  };
}

/** Every personality a tenant can use: the built-ins (its customised copy where there is one), then its own. */
export async function listPersonalities(tenantId: string): Promise<Personality[]> {
  const records = await tenantRecords(tenantId);
  const byId = new Map(records.map((record) => [record.id, toPersonality(record)]));
  const builtins = builtinIds.map((id) => byId.get(id) ?? builtinPersonality(id)!);
  const own = records
    .filter((record) => !isBuiltinId(record.id))
    .map(toPersonality)
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return [...builtins, ...own];
}

export async function listActivePersonalities(tenantId: string) {
  const personalities = await listPersonalities(tenantId);
  return personalities
    .filter((personality) => personality.is_active)
    .map(({ id, name, emoji, language }) => ({ id, name, emoji, language }));
}

/** The tenant's copy, else the built-in, else 404. */
export async function getPersonality(tenantId: string, id: string): Promise<Personality> {
  const record = await findTenantRecord(tenantId, id);
  if (record) return toPersonality(record);
  const builtin = builtinPersonality(id);
  if (builtin) return builtin;
  throw notFound(id);
}

export async function createPersonality(tenantId: string, input: PersonalityCreate): Promise<Personality> {
  if (input.voice_config) assertSettingsInRange(input.voice_config.provider, input.voice_config.settings);
  const now = new Date().toISOString();
  const { voice_config, ...fields } = input;
  const record: PersonalityRecord = {
    ...fields,
    tenant_id: tenantId,
    id: newId(input.name),
    ...(voice_config ? { voice_config: { ...voice_config, status: 'none' as const } } : {}),
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await table().personalities.create(record).go();
  return toPersonality(record);
}

/**
 * Applies a change at the version the client read.
 * 1. The tenant's own record: the write is conditional on that version, so a concurrent change wins once.
 * 2. A built-in the tenant never changed (version 0): the change is written as the tenant's copy at version 1.
 * 3. Anything else is unknown: 404.
 */
export async function updatePersonality(
  tenantId: string,
  id: string,
  change: PersonalityUpdate,
  expectedVersion: number,
): Promise<Personality> {
  if (change.voice_config) assertSettingsInRange(change.voice_config.provider, change.voice_config.settings);
  const now = new Date().toISOString();
  const current = await findTenantRecord(tenantId, id);
  if (current) {
    if (current.version !== expectedVersion) throw staleVersion(id, expectedVersion, current.version);
    const next: PersonalityRecord = {
      ...applyChange(current, change),
      version: current.version + 1,
      updated_at: now,
    };
    try {
      await table()
        .personalities.put(next)
        .where(({ version }, { eq }) => eq(version, current.version))
        .go();
    } catch (error) {
      if (isConditionFailure(error)) throw staleVersion(id, expectedVersion, current.version + 1);
      throw error;
    }
    return toPersonality(next);
  }

  const builtin = builtinPersonality(id);
  if (!builtin) throw notFound(id);
  if (expectedVersion !== builtin.version) throw staleVersion(id, expectedVersion, builtin.version);
  const { source: _source, ...base } = builtin;
  const copy: PersonalityRecord = {
    ...applyChange(base, change),
    tenant_id: tenantId,
    id,
    based_on: id,
    version: builtin.version + 1,
    created_at: now,
    updated_at: now,
  };
  try {
    await table().personalities.create(copy).go();
  } catch (error) {
    // Another admin customised it first: their copy is now the version to build on.
    if (isConditionFailure(error)) throw staleVersion(id, expectedVersion, builtin.version + 1);
    throw error;
  }
  return toPersonality(copy);
}

/** Deletes one of the tenant's personalities; built-ins and the tenant's primary personality are refused. */
export async function deletePersonality(
  tenantId: string,
  id: string,
  expectedVersion: number | undefined,
  primaryPersonalityId: string | undefined,
): Promise<void> {
  if (isBuiltinId(id)) {
    throw new ConflictError(
      'builtin_personality',
      `"${id}" is a built-in personality and cannot be deleted; set is_active to false to hide it.`,
    );
  }
  if (primaryPersonalityId === id) {
    throw new ConflictError(
      'personality_is_primary',
      `"${id}" is the tenant's primary personality; choose another primary personality before deleting it.`,
    );
  }
  const current = await findTenantRecord(tenantId, id);
  if (!current) throw notFound(id);
  if (expectedVersion !== undefined && current.version !== expectedVersion) {
    throw staleVersion(id, expectedVersion, current.version);
  }
  try {
    await table()
      .personalities.remove({ tenant_id: tenantId, id })
      .where(({ version }, { eq }) => eq(version, current.version))
      .go();
  } catch (error) {
    if (isConditionFailure(error)) throw staleVersion(id, current.version, current.version + 1);
    throw error;
  }
}

/**
 * Writes a personality's whole voice configuration, status included, as the cloning workflow does (a client's
 * change cannot set the status). A built-in is copied into the tenant first. With `onlyIfVoiceId`, the write happens
 * only while the personality still has that voice, so a late step never overwrites a newer choice.
 * Conditional on the version read, retried on a concurrent change.
 */
export async function setVoiceConfig(
  tenantId: string,
  id: string,
  voiceConfig: VoiceConfig | undefined,
  options: { onlyIfVoiceId?: string } = {},
): Promise<Personality> {
  for (let attempt = 1; ; attempt += 1) {
    let current = await findTenantRecord(tenantId, id);
    if (!current) {
      const builtin = builtinPersonality(id);
      if (!builtin) throw notFound(id);
      await updatePersonality(tenantId, id, {}, builtin.version).catch((error: unknown) => {
        if (!(error instanceof ConflictError)) throw error;
      });
      current = await findTenantRecord(tenantId, id);
      if (!current) throw notFound(id);
    }
    if (options.onlyIfVoiceId !== undefined && current.voice_config?.voice_id !== options.onlyIfVoiceId) {
      return toPersonality(current);
    }
    const { voice_config: _previous, ...rest } = current;
    const next: PersonalityRecord = {
      ...rest,
      ...(voiceConfig ? { voice_config: voiceConfig } : {}),
      version: current.version + 1,
      updated_at: new Date().toISOString(),
    };
    try {
      await table()
        .personalities.put(next)
        .where(({ version }, { eq }) => eq(version, current.version))
        .go();
      return toPersonality(next);
    } catch (error) {
      if (!isConditionFailure(error) || attempt >= 5) throw error;
    }
  }
}
