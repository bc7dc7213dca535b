// Tenant API keys: created with a secret shown once, stored only as its hash, verified on keyed requests, revoked.
import { randomUUID } from 'node:crypto';
import { config } from '../config.ts';
import { ConflictError, NotFoundError, UnauthorizedError } from '../http/errors.ts';
import { logger } from '../powertools.ts';
import { table } from '../store/table.ts';
import { getTenantPlan } from '../tenants/tenants.ts';
import type { ApiKey, ApiKeyCreate, ApiKeyCreated } from './schemas.ts';
import { displayPrefix, hashApiKey, isWellFormedApiKey, newApiKeyId, newApiKeySecret } from './secrets.ts';

/** Unrevoked keys a tenant may hold at once: plenty for its apps, few enough to review. */
export const MAX_ACTIVE_API_KEYS = 50;

/** `last_used_at` is a hint for admins cleaning up keys, so one write a minute per key and container is enough. */
const LAST_USED_INTERVAL_MS = 60_000;
/** Bounds this process's memory however many keys pass through one warm container. */
const MAX_REMEMBERED_KEYS = 10_000;

export interface VerifiedApiKey {
  tenantId: string;
  keyId: string;
}

type StoredApiKey = {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  created_by: string;
  last_used_at?: string;
  revoked_at?: string;
};

function presented(key: StoredApiKey, requestsPerMinute: number): ApiKey {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    created_at: key.created_at,
    created_by: key.created_by,
    last_used_at: key.last_used_at ?? null,
    revoked_at: key.revoked_at ?? null,
    requests_per_minute: requestsPerMinute,
  };
}

async function storedKeys(tenantId: string): Promise<StoredApiKey[]> {
  const { data } = await table()
    .apiKeys.query.byTenant({ tenant_id: tenantId })
    .go({ pages: 'all', consistent: true });
  return data;
}

function auditEvent(tenantId: string, actor: string, action: string, details: Record<string, unknown>) {
  return {
    tenant_id: tenantId,
    id: randomUUID(),
    created_at: new Date().toISOString(),
    action,
    actor,
    details,
  };
}

/**
 * Creates a key for one of the tenant's apps.
 *
 * Primary course:
 * 1. refuse when the tenant already holds MAX_ACTIVE_API_KEYS unrevoked keys;
 * 2. make the secret and its id, keeping only the secret's SHA-256;
 * 3. write the lookup item (found by hash on each keyed request), the key as admins see it and the audit event
 *    `api_key.created` in one transaction, so no key exists without its lookup or its audit trail;
 * 4. answer with the secret, which is never stored and never shown again.
 * The limit is checked before the write, so two creations racing for the fiftieth place may both succeed.
 */
export async function createApiKey(
  tenantId: string,
  actor: string,
  request: ApiKeyCreate,
): Promise<ApiKeyCreated> {
  const active = (await storedKeys(tenantId)).filter((key) => !key.revoked_at).length;
  if (active >= MAX_ACTIVE_API_KEYS) {
    throw new ConflictError(
      'api_key_limit_reached',
      `This tenant already has ${MAX_ACTIVE_API_KEYS} active API keys, the most it may hold; revoke one it no longer uses first.`,
      { active_keys: active, limit: MAX_ACTIVE_API_KEYS },
    );
  }
  const secret = newApiKeySecret();
  const key = {
    tenant_id: tenantId,
    id: newApiKeyId(),
    key_hash: hashApiKey(secret),
    name: request.name,
    prefix: displayPrefix(secret),
    created_at: new Date().toISOString(),
    created_by: actor,
  };
  const written = await table()
    .service.transaction.write(({ apiKeyLookups, apiKeys, auditEvents }) => [
      apiKeyLookups.create({ key_hash: key.key_hash, tenant_id: tenantId, id: key.id }).commit(),
      apiKeys.create(key).commit(),
      auditEvents
        .create(
          auditEvent(tenantId, actor, 'api_key.created', {
            key_id: key.id,
            name: key.name,
            prefix: key.prefix,
          }),
        )
        .commit(),
    ])
    .go();
  if (written.canceled) {
    throw new Error(
      `API key transaction cancelled: ${written.data.map((item) => item.code ?? 'None').join(', ')}`,
    );
  }
  const { requestsPerMinute } = await getTenantPlan(tenantId);
  return { ...presented(key, requestsPerMinute), api_key: secret };
}

/** Every key of the tenant, revoked ones included, newest first; never a hash or a secret. */
export async function listApiKeys(tenantId: string): Promise<{ api_keys: ApiKey[] }> {
  const [keys, plan] = await Promise.all([storedKeys(tenantId), getTenantPlan(tenantId)]);
  keys.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
  return { api_keys: keys.map((key) => presented(key, plan.requestsPerMinute)) };
}

/**
 * Revokes a key: its lookup item goes and `revoked_at` is set in one transaction, with the audit event
 * `api_key.revoked`. This process forgets the key at once; other containers within API_KEY_CACHE_SECONDS.
 * Revoking a revoked key changes nothing and is not an error.
 */
export async function revokeApiKey(tenantId: string, actor: string, keyId: string): Promise<void> {
  const { data: key } = await table()
    .apiKeys.get({ tenant_id: tenantId, id: keyId })
    .go({ consistent: true });
  if (!key) throw new NotFoundError('not_found', `This tenant has no API key "${keyId}".`);
  forget(key.key_hash);
  if (key.revoked_at) return;
  const revoked_at = new Date().toISOString();
  const written = await table()
    .service.transaction.write(({ apiKeyLookups, apiKeys, auditEvents }) => [
      apiKeyLookups.delete({ key_hash: key.key_hash }).commit(),
      apiKeys
        .patch({ tenant_id: tenantId, id: keyId })
        .set({ revoked_at })
        .where(({ revoked_at: revokedAt }, { notExists }) => notExists(revokedAt))
        .commit(),
      auditEvents
        .create(
          auditEvent(tenantId, actor, 'api_key.revoked', {
            key_id: keyId,
            name: key.name,
            prefix: key.prefix,
          }),
        )
        .commit(),
    ])
    .go();
  if (!written.canceled) return;
  // A revocation racing this one got there first: the key is revoked all the same.
  if (written.data[1]?.code === 'ConditionalCheckFailed') return;
  throw new Error(
    `API key revocation cancelled: ${written.data.map((item) => item.code ?? 'None').join(', ')}`,
  );
}

// Keyed by the secret's hash, never by the secret, so a heap dump holds nothing that opens the API.
const verified = new Map<string, VerifiedApiKey & { until: number }>();
const lastUsedWrites = new Map<string, number>();

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_REMEMBERED_KEYS) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

function forget(keyHash: string): void {
  verified.delete(keyHash);
}

function invalidApiKey(): UnauthorizedError {
  return new UnauthorizedError('invalid_api_key', 'The API key is not valid: it is unknown or revoked.');
}

/** Records when a key was last used, at most once a minute per key here; a failed write never fails the request. */
async function touch(key: VerifiedApiKey, now: number): Promise<void> {
  const last = lastUsedWrites.get(key.keyId);
  if (last !== undefined && now - last < LAST_USED_INTERVAL_MS) return;
  remember(lastUsedWrites, key.keyId, now);
  try {
    await table()
      .apiKeys.patch({ tenant_id: key.tenantId, id: key.keyId })
      .set({ last_used_at: new Date(now).toISOString() })
      .go({ response: 'none' });
  } catch (error) {
    logger.warn('could not record when an API key was last used', {
      keyId: key.keyId,
      error: error as Error,
    });
  }
}

/**
 * Whose key this is, or 401 `invalid_api_key`.
 *
 * Primary course:
 * 1. refuse anything not shaped like an issued secret, without reading the table;
 * 2. hash it and look in this process's cache (kept API_KEY_CACHE_SECONDS), else read the lookup item by hash
 *    (strongly consistent, so a key revoked a moment ago fails);
 * 3. note when the key was last used, best-effort.
 */
export async function verifyApiKey(secret: string): Promise<VerifiedApiKey> {
  if (!isWellFormedApiKey(secret)) throw invalidApiKey();
  const keyHash = hashApiKey(secret);
  const now = Date.now();
  let key: VerifiedApiKey | undefined;
  const cached = verified.get(keyHash);
  if (cached && cached.until > now) {
    key = { tenantId: cached.tenantId, keyId: cached.keyId };
  } else {
    const { data } = await table().apiKeyLookups.get({ key_hash: keyHash }).go({ consistent: true });
    if (!data) {
      forget(keyHash);
      throw invalidApiKey();
    }
    key = { tenantId: data.tenant_id, keyId: data.id };
    const seconds = config().tenancy.apiKeyCacheSeconds;
    if (seconds > 0) remember(verified, keyHash, { ...key, until: now + seconds * 1000 });
  }
  await touch(key, now);
  return key;
}
