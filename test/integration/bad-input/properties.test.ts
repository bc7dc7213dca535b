// Property tests over every route of the route table: mutated and random bodies, garbage headers, unknown path ids
// and bad queries are each refused with a 4xx and an error code, never a 5xx, and leave nothing stored.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshTenant } from '../support.ts';
import { badBody, type BadBody } from './body-arbitraries.ts';
import {
  apiKeyGarbage,
  authorizationGarbage,
  contentTypeGarbage,
  headerGarbage,
  ifMatchGarbage,
  pathIdGarbage,
  queryGarbage,
} from './request-arbitraries.ts';
import {
  CONTENT_TYPE_JSON,
  FC_SEED,
  ROUTES,
  VALID_REQUESTS,
  asSent,
  bodyRefused,
  conversationsOf,
  credentialFor,
  describeRequest,
  expectRefusal,
  pathOf,
  queryRefused,
  rawRefused,
  send,
  storedFor,
  withQuery,
  type RefusalExpectation,
  type SentRequest,
} from './support.ts';

/**
 * Runs per route and property: enough to meet every kind of mutation, few enough for the suite's time budget.
 * `FC_RUNS_SCALE=10` multiplies them for a longer hunt.
 */
const SCALE = Number(process.env.FC_RUNS_SCALE ?? 1) || 1;
const RUNS = {
  body: 30 * SCALE,
  headers: 12 * SCALE,
  pathIds: 12 * SCALE,
  query: 20 * SCALE,
  public: 10 * SCALE,
} as const;
/** A property that has not finished by then stops where it is (a failure found by then is still reported). */
const PROPERTY_TIME_LIMIT_MS = 45_000;
const TEST_TIMEOUT_MS = 90_000;

const parameters = (numRuns: number): fc.Parameters<unknown> => ({
  seed: FC_SEED,
  numRuns,
  interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS,
});

type Tenant = Awaited<ReturnType<typeof freshTenant>>;

function credentials(tenant: Tenant, route: (typeof ROUTES)[number]['route']): Record<string, string> {
  const credential = credentialFor(route);
  if (credential === 'none') return {};
  return { authorization: `Bearer ${credential === 'admin' ? tenant.admin : tenant.member}` };
}

/**
 * Runs a property with a fresh tenant for every request, so each run stands alone and a shrunk counterexample is
 * the request at fault: each request must be refused as `expectation` says and leave nothing anywhere the tenant
 * stores things.
 */
async function checkEachInFreshTenant<T>(
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  request: (tenant: Tenant, input: T) => { sent: SentRequest; expectation?: RefusalExpectation },
  options: { conversations?: boolean } = {},
): Promise<void> {
  const tenants: string[] = [];
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const tenant = await freshTenant();
      tenants.push(tenant.tenantId);
      const { sent, expectation } = request(tenant, input);
      expectRefusal(await send(sent), describeRequest(sent), expectation);
      expect(await storedFor(tenant.tenantId), describeRequest(sent)).toEqual([]);
    }),
    parameters(numRuns),
  );
  expect(tenants.length).toBeGreaterThan(0);
  if (options.conversations) expect(await conversationsOf(tenants)).toEqual([]);
}

const isChat = (id: string) => id === 'chat' || id === 'chatStream';

beforeAll(() => {
  console.info(`bad-input properties: FC_SEED=${FC_SEED} (set FC_SEED to replay)`);
});

describe('bodies the schemas refuse', () => {
  const withBodies = ROUTES.filter(({ route }) => route.request?.body);

  it('covers every route that takes a body', () => {
    expect(withBodies.map(({ id }) => id).sort()).toEqual(
      ROUTES.filter(({ id }) => VALID_REQUESTS[id].body !== undefined)
        .map(({ id }) => id)
        .sort(),
    );
  });

  it.concurrent.each(withBodies)(
    '$id: a mutated or random body is a 4xx with a code, and nothing is stored',
    async ({ id, route }) => {
      const valid = VALID_REQUESTS[id];
      expect(bodyRefused(id, valid.body), 'the example itself must be valid').toBe(false);
      const refused = badBody(valid.body).filter((body: BadBody) =>
        'json' in body ? bodyRefused(id, body.json) : rawRefused(id, body.raw),
      );
      await checkEachInFreshTenant(
        refused,
        RUNS.body,
        (tenant, body) => ({
          sent: {
            method: route.method,
            path: withQuery(pathOf(route, valid.params), valid.query),
            headers: credentials(tenant, route),
            ...('json' in body ? { json: body.json } : { rawBody: body.raw }),
          },
        }),
        { conversations: isChat(id) },
      );
    },
    TEST_TIMEOUT_MS,
  );
});

type HeaderFault = 'authorization' | 'api-key' | 'api-key-and-token' | 'content-type' | 'if-match';

const READS_IF_MATCH = new Set(['updatePersonality', 'deletePersonality', 'updateVoiceSettings']);

describe('headers that are no credential, no JSON, no version', () => {
  const guarded = ROUTES.filter(({ route }) => route.access !== 'public');

  it.concurrent.each(guarded)(
    '$id: garbage credentials, content types and If-Match are refused with the right 4xx',
    async ({ id, route }) => {
      const valid = VALID_REQUESTS[id];
      const faults: HeaderFault[] = ['authorization', 'api-key', 'api-key-and-token'];
      if (route.request?.body) faults.push('content-type');
      if (READS_IF_MATCH.has(id)) faults.push('if-match');
      const fault = fc.oneof(
        ...faults.map((kind) =>
          (kind === 'authorization'
            ? authorizationGarbage
            : kind === 'content-type'
              ? contentTypeGarbage
              : kind === 'if-match'
                ? ifMatchGarbage
                : apiKeyGarbage
          ).map((value) => ({ kind, value })),
        ),
      );
      const admin = route.access === 'admin';
      const expectations: Record<HeaderFault, RefusalExpectation> = {
        authorization: { status: 401 },
        'api-key': admin
          ? { status: 403, code: 'api_key_not_allowed' }
          : { status: 401, code: 'invalid_api_key' },
        'api-key-and-token': admin
          ? { status: 403, code: 'api_key_not_allowed' }
          : { status: 400, code: 'ambiguous_credentials' },
        'content-type': { status: 415, code: 'unsupported_media_type' },
        'if-match': { status: 400, code: 'invalid_request' },
      };
      await checkEachInFreshTenant(
        fault,
        RUNS.headers,
        (tenant, { kind, value }) => {
          const token = credentials(tenant, route);
          const json: Record<string, string> =
            valid.body !== undefined ? { 'content-type': CONTENT_TYPE_JSON } : {};
          const headers: Record<string, string> = {
            authorization: { ...json, authorization: value },
            'api-key': { ...json, 'x-api-key': value },
            'api-key-and-token': { ...json, ...token, 'x-api-key': value },
            'content-type': { ...token, 'content-type': value },
            'if-match': { ...json, ...token, 'if-match': value },
          }[kind];
          return {
            sent: {
              method: route.method,
              path: withQuery(pathOf(route, valid.params), valid.query),
              headers,
              ...(valid.body !== undefined ? { rawBody: JSON.stringify(valid.body) } : {}),
            },
            expectation: expectations[kind],
          };
        },
        { conversations: isChat(id) },
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('path ids that name nothing', () => {
  const withIds = ROUTES.filter(({ route }) => route.request?.params);

  it.concurrent.each(withIds)(
    '$id: an unknown or malformed id is a 404 with a code, and nothing is stored',
    async ({ id, route }) => {
      const valid = VALID_REQUESTS[id];
      const names = Object.keys(valid.params ?? {});
      expect(names.length).toBeGreaterThan(0);
      await checkEachInFreshTenant(
        fc.record({ name: fc.constantFrom(...names), value: pathIdGarbage }),
        RUNS.pathIds,
        (tenant, { name, value }) => ({
          sent: {
            method: route.method,
            path: withQuery(pathOf(route, { ...valid.params, [name]: value }), valid.query),
            headers: credentials(tenant, route),
            ...(valid.body !== undefined ? { json: asSent(valid.body) } : {}),
          },
          expectation: { status: 404 },
        }),
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('query parameters the schemas refuse', () => {
  const withQueries = ROUTES.filter(({ route }) => route.request?.query);

  it.concurrent.each(withQueries)(
    '$id: unknown names and bad values are a 400 with a code',
    async ({ id, route }) => {
      const valid = VALID_REQUESTS[id];
      expect(queryRefused(id, valid.query ?? {}), 'the example itself must be valid').toBe(false);
      await checkEachInFreshTenant(
        queryGarbage.filter((query) => queryRefused(id, query)),
        RUNS.query,
        (tenant, query) => ({
          sent: {
            method: route.method,
            path: withQuery(pathOf(route, valid.params), query),
            headers: credentials(tenant, route),
          },
          expectation: { status: 400, code: 'invalid_request' },
        }),
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('public routes', () => {
  const open = ROUTES.filter(({ route }) => route.access === 'public');

  it.concurrent.each(open)(
    '$id: garbage headers and query parameters never make it fail',
    async ({ route }) => {
      const garbage = fc.record({
        headers: fc.record(
          {
            authorization: authorizationGarbage,
            'x-api-key': apiKeyGarbage,
            'content-type': contentTypeGarbage,
            'if-match': ifMatchGarbage,
            'x-forwarded-for': headerGarbage,
          },
          { requiredKeys: [] },
        ),
        query: queryGarbage,
      });
      await fc.assert(
        fc.asyncProperty(garbage, async ({ headers, query }) => {
          const sent = { method: route.method, path: withQuery(pathOf(route), query), headers };
          const response = await send(sent);
          // Public routes take no input, so nothing is wrong with these requests: they are answered as usual.
          expect(response.status, describeRequest(sent)).toBe(200);
        }),
        parameters(RUNS.public),
      );
    },
    TEST_TIMEOUT_MS,
  );
});
