// Tenant API keys as the API reads and writes them.
import * as z from 'zod';

/** `key_` and 16 lower-case hex characters. */
export const ApiKeyId = z.string().regex(/^key_[0-9a-f]{16}$/, 'not an API key id');

export const ApiKeyParams = z.strictObject({ keyId: ApiKeyId });

export const ApiKeyCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(100).describe('What the key is for, e.g. "shop website"'),
  })
  .meta({ id: 'ApiKeyCreate' });
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>;

export const ApiKey = z
  .object({
    id: ApiKeyId,
    name: z.string(),
    prefix: z.string().describe('The first characters of the secret, to tell keys apart'),
    created_at: z.string(),
    created_by: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    requests_per_minute: z.int().describe("From the tenant's plan"),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyCreated = ApiKey.extend({
  api_key: z.string().describe('The secret: shown in this answer only; send it as the x-api-key header'),
}).meta({ id: 'ApiKeyCreated' });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

export const ApiKeyList = z.object({ api_keys: z.array(ApiKey) }).meta({ id: 'ApiKeyList' });
