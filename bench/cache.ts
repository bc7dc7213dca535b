// The speech cache: how fast a sentence already spoken comes back (and that no provider is asked), and what share
// of a month's characters it serves when keyed by sentence rather than by whole reply.
import { generateCorpus, simulateCaching, spokenSentences, type CacheShares } from './corpus.ts';
import { LATENCY, SPEECH_PATH, type BenchSimulators } from './simulators.ts';
import { newTenantId, usageRecords, type BenchStack } from './stack.ts';
import { callJson, medianProfile, percentile, type MedianProfile } from './support.ts';

export interface HitLatency {
  hits: number;
  p50: number;
  p95: number;
  /** Speech calls the simulators received while hits were served: a hit must make none. */
  providerCalls: number;
  /** Hits whose answer did not say `cached: true`. */
  notCached: number;
  missMs: number;
  /** Per hit, medians: the stack's calls to DynamoDB Local and s3rver and the time they were open, and its CPU. */
  profile: MedianProfile;
}

/** One sentence spoken once (a miss at the fixed speech latency), then asked for `hits` more times. */
export async function measureHitLatency(
  stack: BenchStack,
  sims: BenchSimulators,
  hits = 100,
): Promise<HitLatency> {
  sims.setSpeechLatency(LATENCY.speechFirstByteMs);
  const token = await stack.token(newTenantId('cache'), 'admin');
  const url = `${stack.url}/api/admin/ai-personalities/marcel/voice/generate`;
  // One sentence of Marcel's closing phrases: its audio is one cached object, with nothing to join.
  const json = { text: 'Thank you for stopping by.' };
  const miss = await callJson(url, { token, json });
  if (miss.status !== 200)
    throw new Error(`the first generate failed: ${miss.status} ${JSON.stringify(miss.body)}`);
  const times: number[] = [];
  const profiles: Awaited<ReturnType<BenchStack['profile']>>[] = [];
  await stack.profile();
  let providerCalls = 0;
  let notCached = 0;
  for (let index = 0; index < hits; index += 1) {
    const hit = await callJson<{ cached?: boolean }>(url, { token, json });
    times.push(hit.ms);
    if (hit.status !== 200 || hit.body.cached !== true) notCached += 1;
    profiles.push(await stack.profile());
    providerCalls += sims
      .calls(hit.start, hit.end)
      .filter((call) => call.path.startsWith(SPEECH_PATH) || call.path.includes('speech')).length;
  }
  return {
    hits,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    providerCalls,
    notCached,
    missMs: miss.ms,
    profile: medianProfile(profiles),
  };
}

export interface CorpusCheck {
  replies: number;
  simulated: { characters: number; cachedCharacters: number };
  stack: { characters: number; cachedCharacters: number; records: number };
  /** One usage record per spoken sentence, as the product's splitter cuts the replies. */
  expectedRecords: number;
}

export interface CacheShareResult {
  /** The corpus the figure is measured on: the scenario's month. */
  month: CacheShares;
  /** The first 200 conversations alone: a cache still warming up. */
  first200: CacheShares;
  /** If a third of the product sentences were the shop's stock lines, repeated word for word. */
  withStockLines: CacheShares;
  /** A few conversations spoken through the real stack, against the simulation of the same conversations. */
  check: CorpusCheck | undefined;
}

/**
 * The shares come from replaying the corpus through the product's own text preparation, sentence splitter and
 * cache-key normalisation (bench/corpus.ts). The check speaks `checkConversations` of them through
 * POST …/voice/generate in one new tenant, reads the usage records back, and compares cached characters.
 */
export async function measureCacheShares(
  stack: BenchStack,
  sims: BenchSimulators,
  checkConversations = 1,
): Promise<CacheShareResult> {
  const corpus = generateCorpus(1000);
  const result: CacheShareResult = {
    month: simulateCaching(corpus),
    first200: simulateCaching(corpus.slice(0, 200)),
    withStockLines: simulateCaching(generateCorpus(1000, 1 / 3)),
    check: undefined,
  };
  if (checkConversations === 0) return result;

  // Speech without the fixed wait: the check is about which characters were cached, not about time.
  sims.setSpeechLatency(0);
  const tenantId = newTenantId('corpus');
  const token = await stack.token(tenantId, 'admin');
  const sample = corpus.slice(0, checkConversations);
  for (const conversation of sample) {
    // In order, as they would be spoken: whether a sentence is a hit depends on what was said before it.
    for (const reply of conversation) {
      const answer = await callJson(
        `${stack.url}/api/admin/ai-personalities/${reply.personalityId}/voice/generate`,
        { token, json: { text: reply.text } },
      );
      if (answer.status !== 200)
        throw new Error(`generate failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  }
  sims.setSpeechLatency(LATENCY.speechFirstByteMs);
  const records = await usageRecords(stack, tenantId);
  const simulated = simulateCaching(sample);
  result.check = {
    replies: sample.flat().length,
    simulated: {
      characters: simulated.characters,
      cachedCharacters: Math.round(simulated.sentenceShare * simulated.characters),
    },
    stack: {
      records: records.length,
      characters: records.reduce((sum, record) => sum + Number(record.characters), 0),
      cachedCharacters: records
        .filter((record) => record.cached === true)
        .reduce((sum, record) => sum + Number(record.characters), 0),
    },
    expectedRecords: sample.flat().reduce((sum, reply) => sum + spokenSentences(reply).length, 0),
  };
  return result;
}
