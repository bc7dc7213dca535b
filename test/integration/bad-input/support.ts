// What the bad-input suite shares: the seed, a valid request for every route, the check that an answer is a clear
// refusal, and a snapshot of everything a tenant has stored, to prove a refused request stored nothing.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect, inject } from 'vitest';
import { LOCAL_RESOURCES } from '../../../local/stack.ts';
import { objectKeys } from '../../../functions/store/objects.ts';
import { routes, type RouteDefinition, type RouteId } from '../../../functions/http/routes.ts';
import { call, tableClient, tenantItems, type ApiResponse } from '../support.ts';
import { CONSENT } from '../training-support.ts';

/** One seed for every property of a run; replay a failure with `FC_SEED=<seed> npm test`. */
export const FC_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;

export const CONTENT_TYPE_JSON = 'application/json';

/** The credential a route's valid request carries: an admin's token, or a member's on the consumer routes. */
export type Credential = 'admin' | 'member' | 'none';

/** Ids that have the right shape but name nothing the tenant owns, except the built-in personality. */
export const IDS = {
  personality: 'marcel',
  sample: 's-0123456789ab',
  conversation: 'c-0123456789abcdef',
  key: 'key_0123456789abcdef',
} as const;

/** A request each route would accept (or refuse only for what the fresh tenant lacks), to mutate from. */
export interface ValidRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

const lexicon = {
  entries: [
    { grapheme: 'THC', alias: 'tee aitch see' },
    { grapheme: 'CBD', phoneme: 'siːbiːdiː', alphabet: 'ipa', case_sensitive: true },
  ],
  version: 0,
};

const personalityParams = { id: IDS.personality };

export const VALID_REQUESTS: Record<RouteId, ValidRequest> = {
  health: {},
  openapi: {},
  listPersonalities: {},
  createPersonality: {
    body: {
      name: 'Nova',
      traits: { age: 30, gender: 'female', humor_style: 'witty', humor_level: 3, formality: 'neutral' },
      response_style: { opening_phrases: ['Hi there!'], closing_phrases: ['Take care.'] },
      system_prompt: 'Be kind and brief.',
      emoji: '🌿',
      language: 'en-US',
      is_active: true,
      voice_config: {
        provider: 'google',
        voice_id: 'en-US-Neural2-F',
        settings: { speaking_rate: 1, pitch: 0 },
        fallback: { provider: 'polly', voice_id: 'Joanna' },
      },
    },
  },
  getPersonality: { params: personalityParams },
  updatePersonality: {
    params: personalityParams,
    body: { name: 'Marcel Again', traits: { humor_level: 5 }, is_active: true, version: 0 },
  },
  deletePersonality: { params: personalityParams },
  getTenantSettings: {},
  updateTenantSettings: {
    body: {
      primary_personality_id: 'marcel',
      default_voice: { provider: 'polly', voice_id: 'Joanna' },
      sample_retention_days: 7,
      webhook_url: 'https://example.com/hooks/voice',
    },
  },
  listActivePersonalities: {},
  generateSpeech: {
    params: personalityParams,
    body: { text: 'Hello there, welcome in.', format: 'mp3', settings: { speaking_rate: 1.1 } },
  },
  getVoiceSample: { params: personalityParams, query: { format: 'mp3' } },
  updateVoiceSettings: {
    params: personalityParams,
    body: { settings: { speaking_rate: 1.1, pitch: 2 }, version: 0 },
  },
  getPronunciations: { params: personalityParams },
  putPronunciations: { params: personalityParams, body: lexicon },
  getTenantPronunciations: {},
  putTenantPronunciations: { body: lexicon },
  listVoiceProviders: { query: { language: 'en-US' } },
  uploadVoiceSamples: {
    params: personalityParams,
    body: { files: [{ name: 'take one.wav', content_type: 'audio/wav', size: 480_000 }] },
  },
  listVoiceSamples: { params: personalityParams },
  getUploadedSample: { params: { id: IDS.personality, sampleId: IDS.sample } },
  deleteUploadedSample: { params: { id: IDS.personality, sampleId: IDS.sample } },
  trainVoice: {
    params: personalityParams,
    body: { sample_ids: [IDS.sample], provider: 'local', voice_name: 'Marcel', consent: CONSENT },
  },
  getVoiceStatus: { params: personalityParams },
  deleteCustomVoice: { params: personalityParams },
  chat: { body: { message: 'Do you have gummies?', personality_id: 'marcel' } },
  chatStream: { body: { message: 'Do you have gummies?', personality_id: 'marcel' } },
  getConversation: { params: { id: IDS.conversation } },
  getVoiceUsage: { query: { from: '2025-01-01', to: '2025-01-31', group_by: 'provider' } },
  listApiKeys: {},
  createApiKey: { body: { name: 'shop website' } },
  revokeApiKey: { params: { keyId: IDS.key } },
  rotateWebhookSecret: {},
  listWebhookDeliveries: {},
  sendTestWebhook: {},
};

export const credentialFor = (route: RouteDefinition): Credential =>
  route.access === 'public' ? 'none' : route.access === 'admin' ? 'admin' : 'member';

/** The route's path with its parameters filled in (and URL-encoded, as a client must). */
export function pathOf(route: RouteDefinition, params: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

export function withQuery(path: string, query: Record<string, string> | undefined): string {
  if (!query || Object.keys(query).length === 0) return path;
  return `${path}?${new URLSearchParams(Object.entries(query)).toString()}`;
}

/** The same value as the server will see it once it is sent as JSON (undefined dropped, NaN as null…). */
export function asSent(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/** Whether the route's own schema refuses this value, taken as the server parsed it. */
export function schemaRefuses(id: RouteId, parsed: unknown): boolean {
  const schema = (routes[id] as RouteDefinition).request?.body;
  return !schema || !schema.safeParse(parsed).success;
}

/** Whether the route's own schemas refuse this body once sent as JSON: only such bodies are bad input. */
export function bodyRefused(id: RouteId, body: unknown): boolean {
  return schemaRefuses(id, asSent(body));
}

/** Raw text is bad input unless it parses as JSON the schema accepts. */
export function rawRefused(id: RouteId, raw: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return true;
  }
  return schemaRefuses(id, parsed);
}

/** Whether the route's query schema refuses these parameters as the gateway will hand them over. */
export function queryRefused(id: RouteId, query: Record<string, string>): boolean {
  const schema = (routes[id] as RouteDefinition).request?.query;
  if (!schema) return false;
  // A name such as `__proto__` is a parameter like any other, so the map has no prototype to collide with.
  const seen: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of new URLSearchParams(new URLSearchParams(Object.entries(query)).toString())) {
    seen[name] = name in seen ? `${seen[name]},${value}` : value;
  }
  return !schema.safeParse(seen).success;
}

/** Every route, with its id. */
export const ROUTES = Object.entries(routes).map(([id, route]) => ({
  id: id as RouteId,
  route: route as RouteDefinition,
}));

export interface RefusalExpectation {
  status?: number;
  code?: string;
}

/**
 * A refusal as the API promises it: a 4xx with the error envelope, a machine-readable code and a message. The
 * request is named in every failure message, so a counterexample can be read off the report.
 */
export function expectRefusal(
  response: ApiResponse,
  request: string,
  expected: RefusalExpectation = {},
): void {
  const what = `${request} → ${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`;
  expect(response.status, what).toBeGreaterThanOrEqual(400);
  expect(response.status, what).toBeLessThan(500);
  if (expected.status !== undefined) expect(response.status, what).toBe(expected.status);
  const error = (response.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  expect(error?.code, what).toMatch(/^[a-z][a-z0-9_]*$/);
  expect(error?.message, what).toEqual(expect.stringMatching(/\S/));
  if (expected.code !== undefined) expect(error?.code, what).toBe(expected.code);
}

export interface SentRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** A JSON value, sent with `Content-Type: application/json` unless the headers say otherwise. */
  json?: unknown;
  /** Sent as it is. */
  rawBody?: string;
}

export function send(request: SentRequest): Promise<ApiResponse> {
  const headers = { ...request.headers };
  if (request.json !== undefined) headers['content-type'] ??= CONTENT_TYPE_JSON;
  return call(request.path, {
    method: request.method,
    headers,
    ...(request.json !== undefined ? { rawBody: JSON.stringify(request.json) } : {}),
    ...(request.rawBody !== undefined ? { rawBody: request.rawBody } : {}),
  });
}

/** A short description of a request for failure messages. */
export function describeRequest(request: SentRequest): string {
  const body =
    request.json !== undefined
      ? JSON.stringify(request.json)
      : request.rawBody !== undefined
        ? JSON.stringify(request.rawBody)
        : '';
  // Long values (tokens, garbage) are cut short: the start is enough to tell them apart.
  const shown = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([name, value]) => [
      name,
      value.length > 120 ? `${value.slice(0, 120)}…(${value.length} characters)` : value,
    ]),
  );
  const headers = Object.keys(shown).length ? ` ${JSON.stringify(shown)}` : '';
  return `${request.method} ${request.path}${headers} ${body.length > 300 ? `${body.slice(0, 300)}…` : body}`;
}

const month = () => new Date().toISOString().slice(0, 7);

let s3: S3Client | undefined;

function objectStore(): S3Client {
  s3 ??= new S3Client({
    endpoint: inject('s3Endpoint'),
    region: LOCAL_RESOURCES.region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return s3;
}

export async function objectsUnder(bucket: string, prefix: string): Promise<string[]> {
  const listed = await objectStore().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => `${bucket}/${object.Key}`);
}

async function partition(pk: string): Promise<Record<string, unknown>[]> {
  const { Items } = await tableClient().send(
    new QueryCommand({
      TableName: LOCAL_RESOURCES.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

/**
 * Everything a tenant has stored that can be found by key: its own partition (profile, personalities, samples,
 * keys, lexicons, counters), its audit, webhook and this month's usage partitions, and its objects in both
 * buckets. Conversations are keyed by their own id; `conversationsOf` finds them.
 */
export async function storedFor(tenantId: string): Promise<string[]> {
  const partitions = await Promise.all([
    tenantItems(tenantId),
    ...[`TENANT#${tenantId}#AUDIT`, `TENANT#${tenantId}#WEBHOOK`, `TENANT#${tenantId}#USAGE#${month()}`].map(
      partition,
    ),
  ]);
  const objects = await Promise.all([
    objectsUnder(LOCAL_RESOURCES.samplesBucket, objectKeys.tenantPrefix('samples', tenantId)),
    objectsUnder(LOCAL_RESOURCES.audioBucket, objectKeys.tenantPrefix('cache', tenantId)),
  ]);
  return [...partitions.flat().map((item) => `${String(item.pk)} | ${String(item.sk)}`), ...objects.flat()];
}

/** Conversation items of these tenants: a scan, as nothing lists a tenant's conversations by key. */
export async function conversationsOf(tenantIds: readonly string[]): Promise<string[]> {
  const wanted = new Set(tenantIds);
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await tableClient().send(
      new ScanCommand({
        TableName: LOCAL_RESOURCES.tableName,
        FilterExpression: 'contains(pk, :conv)',
        ExpressionAttributeValues: { ':conv': '#CONV#' },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const tenant = /^TENANT#(.+?)#CONV#/.exec(String(item.pk))?.[1];
      if (tenant && wanted.has(tenant)) found.push(`${String(item.pk)} | ${String(item.sk)}`);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}
