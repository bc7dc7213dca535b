// Keys are built in one place and always start with the tenant: DynamoDB items and S3 objects alike.
import { describe, expect, it } from 'vitest';
import {
  createEntities,
  personalityModel,
  tenantProfileModel,
  TABLE_KEYS,
} from '../../../functions/store/models.ts';
import { objectKeys } from '../../../functions/store/objects.ts';

const entities = createEntities({ table: 'voice-test' });

describe('DynamoDB keys', () => {
  it('puts a personality under its tenant', () => {
    const params = entities.personalities.get({ tenant_id: 'acme', id: 'marcel' }).params();

    expect(params.Key).toEqual({ pk: 'TENANT#acme', sk: 'PERSONALITY#marcel' });
  });

  it('keeps the case of ids as given', () => {
    const params = entities.personalities.get({ tenant_id: 'acme', id: 'Budbot-1' }).params();

    expect(params.Key.sk).toBe('PERSONALITY#Budbot-1');
  });

  it('lists one tenant’s personalities by prefix within its partition only', () => {
    const params = entities.personalities.query.byTenant({ tenant_id: 'acme' }).params();

    expect(params.ExpressionAttributeValues).toMatchObject({ ':pk': 'TENANT#acme', ':sk1': 'PERSONALITY#' });
    expect(params.KeyConditionExpression).toContain('begins_with');
  });

  it('keeps the tenant profile beside its personalities', () => {
    const params = entities.tenantProfiles.get({ tenant_id: 'acme' }).params();

    expect(params.Key).toEqual({ pk: 'TENANT#acme', sk: 'PROFILE' });
  });

  it('starts every partition key with the tenant id', () => {
    for (const model of [personalityModel, tenantProfileModel]) {
      for (const index of Object.values(model.indexes)) {
        expect(index.pk.field).toBe(TABLE_KEYS.partitionKey);
        expect(index.pk.template.startsWith('TENANT#${tenant_id}')).toBe(true);
      }
    }
  });

  it('makes an optimistic update conditional on the version read', () => {
    const params = entities.personalities
      .put({
        tenant_id: 'acme',
        id: 'x',
        name: 'X',
        traits: {},
        response_style: {},
        language: 'en-US',
        is_active: true,
        version: 3,
        created_at: 'then',
        updated_at: 'now',
      })
      .where(({ version }, { eq }) => eq(version, 2))
      .params();

    expect(params.ConditionExpression).toBe('#version = :version0');
    expect(params.ExpressionAttributeValues).toEqual({ ':version0': 2 });
  });
});

describe('S3 keys', () => {
  it('puts samples under tenant and personality, audio under the cache prefix and tenant', () => {
    expect(objectKeys.sample('acme', 'marcel', 's-1')).toBe('samples/acme/marcel/s-1');
    expect(objectKeys.cachedAudio('acme', 'ab12', 'mp3')).toBe('cache/acme/ab12.mp3');
    expect(objectKeys.tenantPrefix('samples', 'acme')).toBe('samples/acme/');
  });

  it('refuses a segment that could escape its prefix', () => {
    expect(() => objectKeys.sample('acme', '../other', 's')).toThrow(/personality id/);
    expect(() => objectKeys.sample('acme/x', 'marcel', 's')).toThrow(/tenant id/);
    expect(() => objectKeys.cachedAudio('acme', 'a b', 'mp3')).toThrow(/content hash/);
    expect(() => objectKeys.tenantPrefix('cache', '')).toThrow();
  });
});
