// Fault injection: chats, streams, speech and voice trainings run while the provider simulators fail at random
// (seeded) and DynamoDB Local is stopped and started again; afterwards nothing may be lost, doubled or left behind,
// and every answer must have been a success or a clear error. Replay a failure with FAULT_SEED=<seed> npm test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePlan, faultPlan, faultSeed, Random, type FaultPlan } from './fault-plan.ts';
import {
  messageProblems,
  trainingProblems,
  unclearAnswers,
  usageProblems,
  type ProviderVoice,
} from './fault-checks.ts';
import { startFaultWorld, TIMEOUTS, waitingDeadLetters, type FaultWorld } from './fault-stack.ts';
import {
  customer,
  prepareTraining,
  settleTraining,
  speaker,
  train,
  Traffic,
  type Tenant,
  type Training,
} from './fault-traffic.ts';

/** The faulty part of the run; setup before it and settling after it keep the whole file under three minutes. */
const RUN_MS = 50_000;
/** Traffic goes on at least this long after DynamoDB Local is back, however long its restart took. */
const AFTER_RESTART_MS = 8000;
/** Setup, run and settling together; the checks that follow read the table in a few seconds. */
const SUITE_MS = 165_000;
const SHOP_TENANTS = ['fault-shop-1', 'fault-shop-2', 'fault-shop-3'];
const CLONING_TENANTS = ['fault-clone-1', 'fault-clone-2'];
const BUILT_INS = ['marcel', 'shante', 'zac'];

const seed = faultSeed();
let world: FaultWorld;
let plan: FaultPlan;
let traffic: Traffic;
let trainings: Training[] = [];
let shopTenants: Tenant[] = [];
const months = new Set<string>();
const deadLettered = new Set<string>();
const log: string[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const month = () => new Date().toISOString().slice(0, 7);

async function tenant(tenantId: string): Promise<Tenant> {
  return { tenantId, token: await world.issuer.mint({ tenantId, role: 'admin', ttlSeconds: 3600 }) };
}

/** A personality of the shop's own that speaks with ElevenLabs and falls back to OpenAI. */
async function ownPersonality(shop: Tenant): Promise<string> {
  const created = await traffic.send('setup', shop, 'POST', '/api/admin/ai-personalities', {
    name: 'Nova',
    traits: { gender: 'female' },
    voice_config: {
      provider: 'elevenlabs',
      voice_id: '21m00Tcm4TlvDq8ikWAM',
      fallback: { provider: 'openai', voice_id: 'alloy' },
    },
  });
  if (created.status !== 201) throw new Error(`personality not created: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** Applies the plan's faults at their times and restarts DynamoDB Local at its time. */
async function injectFaults(started: number, deadline: { until: number }): Promise<void> {
  const restart = (async () => {
    await sleep(plan.restart.atMs);
    const down = Date.now() - started;
    await world.stack.restartDynamoDb({ downtimeMs: plan.restart.downtimeMs });
    const up = Date.now() - started;
    deadline.until = Math.max(deadline.until, Date.now() + AFTER_RESTART_MS);
    log.push(
      `DynamoDB Local down from ${(down / 1000).toFixed(1)} s to ${(up / 1000).toFixed(1)} s into the run`,
    );
  })();
  for (const planned of plan.faults) {
    const wait = started + planned.atMs - Date.now();
    if (wait > 0) await sleep(wait);
    const simulator = world.simulators[planned.target.simulator];
    const id = simulator.addFault({ ...planned.fault });
    setTimeout(() => simulator.clearFaults(id), planned.forMs).unref();
  }
  await restart;
}

/**
 * One of each request, and one sentence from each provider, before the faults: the first call of a handler or a
 * provider loads its code (a cold start, slow on a busy machine), which is not what this suite is about.
 */
async function warmUp(): Promise<void> {
  const probe = await tenant('fault-warm-up');
  const personalities = ['marcel', await ownPersonality(probe)];
  for (const voice of [
    { provider: 'polly', voice_id: 'Joanna' },
    { provider: 'openai', voice_id: 'alloy' },
  ]) {
    const created = await traffic.send('setup', probe, 'POST', '/api/admin/ai-personalities', {
      name: `Probe ${voice.provider}`,
      voice_config: voice,
    });
    personalities.push(created.body.id);
  }
  const turn = { message: 'hello there', personality_id: 'marcel' };
  const requests: Array<[string, unknown]> = [
    ['/api/chat', turn],
    ['/api/chat/stream', turn],
    ...personalities.map((id): [string, unknown] => [
      `/api/admin/ai-personalities/${id}/voice/generate`,
      { text: 'Warming up.' },
    ]),
  ];
  for (const [path, body] of requests) {
    const answered = await traffic.send('setup', probe, 'POST', path, body);
    if (answered.status !== 200 || answered.body?.fell_back)
      throw new Error(`warm-up ${path}: ${answered.status} ${JSON.stringify(answered.body)}`);
  }
}

/** Notes every usage record that passes through the dead-letter directory, to check each was replayed once. */
function watchDeadLetters(): () => void {
  const timer = setInterval(() => {
    for (const name of waitingDeadLetters(world.deadLetterDirectory))
      deadLettered.add(name.replace(/\.json$/, ''));
  }, 100);
  return () => clearInterval(timer);
}

beforeAll(async () => {
  const suiteEnd = Date.now() + SUITE_MS;
  console.log(
    `fault-injection seed ${seed}; replay: FAULT_SEED=${seed} npm test ` +
      `(this file alone: FAULT_SEED=${seed} npx vitest run --project reliability test/reliability/faults.test.ts)`,
  );
  plan = faultPlan(seed, RUN_MS, TIMEOUTS);
  log.push(describePlan(plan));
  world = await startFaultWorld();
  traffic = new Traffic(world.stack.url);
  months.add(month());

  shopTenants = await Promise.all(SHOP_TENANTS.map(tenant));
  const personalities = new Map<string, string[]>();
  for (const shop of shopTenants)
    personalities.set(shop.tenantId, [...BUILT_INS, await ownPersonality(shop)]);
  trainings = await Promise.all(
    CLONING_TENANTS.map(async (id) => prepareTraining(traffic, await tenant(id))),
  );
  await warmUp();

  const random = new Random(seed);
  const started = Date.now();
  traffic.runStart = started;
  const deadline = { until: started + RUN_MS };
  const stopWatching = watchDeadLetters();
  const drivers: Promise<void>[] = [injectFaults(started, deadline)];
  for (let index = 0; index < 5; index += 1) {
    const shop = shopTenants[index % shopTenants.length]!;
    drivers.push(
      customer({
        traffic,
        tenant: shop,
        personalities: personalities.get(shop.tenantId)!,
        random: random.fork(`customer ${index}`),
        name: `customer-${index}`,
        deadline,
      }),
    );
  }
  for (let index = 0; index < 2; index += 1) {
    const shop = shopTenants[index % shopTenants.length]!;
    drivers.push(
      speaker({
        traffic,
        tenant: shop,
        personalities: personalities.get(shop.tenantId)!,
        random: random.fork(`speaker ${index}`),
        name: `admin-${index}`,
        deadline,
      }),
    );
  }
  trainings.forEach((training, index) =>
    drivers.push(train(traffic, training, plan.trainingStartsMs[index]!)),
  );
  await Promise.all(drivers);

  // The run is over: providers well again, and everything in flight allowed to end.
  for (const simulator of ['elevenlabs', 'google', 'openai', 'polly'] as const)
    world.simulators[simulator].clearFaults();
  await Promise.all(
    trainings.map((training) =>
      settleTraining(traffic, training, world.executionStatus, Math.min(Date.now() + 45_000, suiteEnd)),
    ),
  );
  const replayDeadline = Math.min(Date.now() + 15_000, suiteEnd);
  while (waitingDeadLetters(world.deadLetterDirectory).length > 0 && Date.now() < replayDeadline)
    await sleep(250);
  stopWatching();
  months.add(month());

  const counts = new Map<string, number>();
  for (const exchange of traffic.exchanges) {
    const key = `${exchange.kind} ${exchange.status}${exchange.body?.error?.code ? ` ${exchange.body.error.code}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  log.push(
    `${deadLettered.size} usage records went through the dead-letter directory`,
    `${traffic.exchanges.length} requests in ${RUN_MS / 1000} s:`,
    ...[...counts].sort().map(([key, count]) => `  ${key} ×${count}`),
    ...trainings.map(
      (training) =>
        `training ${training.tenant.tenantId} job ${training.jobId}: execution ${training.execution}, ` +
        `status ${JSON.stringify(training.final)}`,
    ),
    'ElevenLabs voice calls:',
    ...world.simulators.elevenlabs.requests
      .filter((request) => request.path.startsWith('/v1/voices'))
      .map(
        (request) =>
          `  ${request.at} ${request.method} ${request.path}${request.fault ? ` → ${request.fault}` : ''}`,
      ),
  );
  console.log(log.join('\n'));
}, SUITE_MS + 15_000);

afterAll(async () => {
  await world?.stop();
});

describe(`faults and a DynamoDB restart (FAULT_SEED=${seed})`, () => {
  it('drove real traffic through the faults: chats, streams and speech succeeded and failed, trainings ran', () => {
    const succeeded = (kind: string) => traffic.exchanges.filter((e) => e.kind === kind && e.status === 200);
    const faulted = (['elevenlabs', 'google', 'openai', 'polly'] as const).flatMap((name) =>
      world.simulators[name].requests.filter((request) => request.fault),
    );
    expect(succeeded('chat').length).toBeGreaterThan(2);
    expect(succeeded('stream').length).toBeGreaterThan(1);
    expect(succeeded('speech').length).toBeGreaterThan(2);
    expect(trainings.some((training) => training.jobId)).toBe(true);
    expect(faulted.length).toBeGreaterThan(10);
    expect(traffic.exchanges.some((e) => e.status === 503)).toBe(true);
  });

  it('answered every request with a success or a clear error', () => {
    expect(unclearAnswers(traffic.exchanges)).toEqual([]);
  });

  it('lost no message and stored none twice', async () => {
    expect(await messageProblems(world.table, traffic.exchanges)).toEqual([]);
  });

  it('wrote every usage record once, dead-lettered ones included', async () => {
    expect(waitingDeadLetters(world.deadLetterDirectory)).toEqual([]);
    const problems = await usageProblems(
      world.table,
      traffic.exchanges,
      [...SHOP_TENANTS, ...CLONING_TENANTS, 'fault-warm-up'],
      [...months],
      deadLettered,
    );
    expect(problems).toEqual([]);
  });

  it('ended every training ready or failed, with no voice left at the provider', () => {
    const cloned = world.simulators.elevenlabs.state.get('clonedVoices') as
      Map<string, ProviderVoice> | undefined;
    expect(trainingProblems(trainings, [...(cloned?.values() ?? [])])).toEqual([]);
  });
});
