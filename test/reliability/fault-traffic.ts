// The traffic of the fault run: customers chatting (whole replies and streams), admins asking for speech, and
// voice trainings; every exchange is kept, with what the platform answered, for the checks that follow.
import { request as httpRequest } from 'node:http';
import {
  CONSENT,
  postRecordings,
  speechWav,
  type RegisteredSample,
} from '../integration/training-support.ts';
import type { Random } from './fault-plan.ts';

export interface SseEvent {
  event: string;
  data: any;
}

export type ExchangeKind = 'chat' | 'stream' | 'speech' | 'train' | 'setup';

export interface Exchange {
  kind: ExchangeKind;
  tenantId: string;
  method: string;
  path: string;
  /** 0 when no HTTP answer came at all. */
  status: number;
  requestId: string | undefined;
  body: any;
  /** A stream's events, in order. */
  events?: SseEvent[];
  /** What went wrong on the way: no answer at all (status 0), or one cut off. */
  failure?: string;
  /** When it was sent, in ms since the faulty run began, and how long the answer took. */
  at: number;
  ms: number;
  /** Chat: the conversation the turn went to (known before, or learned from the answer) and the customer's words. */
  conversationId?: string;
  message?: string;
}

export interface Tenant {
  tenantId: string;
  token: string;
}

/** A request that hears nothing for this long is counted as lost. */
const NO_ANSWER_MS = 60_000;

function parseEvents(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n')) {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (!data) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      parsed = { unparsable: data };
    }
    events.push({ event, data: parsed });
  }
  return events;
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** False when the connection dropped before the answer ended. */
  complete: boolean;
}

/**
 * One request on a connection of its own: no keep-alive, so a socket the server is just closing is never reused
 * (that race, frequent on a busy machine, would look like a lost answer).
 */
function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method, headers, agent: false, timeout: NO_ANSWER_MS },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        // A dropped connection is an error on the answer, then its close: what arrived so far is kept.
        incoming.on('error', () => undefined);
        incoming.on('close', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            complete: incoming.complete,
          }),
        );
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${NO_ANSWER_MS} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export class Traffic {
  readonly exchanges: Exchange[] = [];
  /** Set when the faulty run begins; exchanges are timed from it. */
  runStart = Date.now();

  constructor(readonly baseUrl: string) {}

  async send(
    kind: ExchangeKind,
    tenant: Tenant,
    method: string,
    path: string,
    json?: unknown,
  ): Promise<Exchange> {
    const started = performance.now();
    const exchange: Exchange = {
      kind,
      tenantId: tenant.tenantId,
      method,
      path,
      status: 0,
      requestId: undefined,
      body: undefined,
      at: Date.now() - this.runStart,
      ms: 0,
    };
    try {
      const answer = await request(
        `${this.baseUrl}${path}`,
        method,
        {
          authorization: `Bearer ${tenant.token}`,
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        json === undefined ? undefined : JSON.stringify(json),
      );
      exchange.status = answer.status;
      if (!answer.complete) exchange.failure = 'the answer was cut off';
      const requestId = answer.headers['x-request-id'];
      exchange.requestId = typeof requestId === 'string' ? requestId : undefined;
      if (String(answer.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        exchange.events = parseEvents(answer.text);
      } else {
        try {
          exchange.body = answer.text ? JSON.parse(answer.text) : undefined;
        } catch {
          exchange.body = answer.text;
        }
      }
    } catch (error) {
      const { message, code } = error as NodeJS.ErrnoException;
      exchange.failure = code ? `${code}: ${message}` : message;
    }
    exchange.ms = Math.round(performance.now() - started);
    if (kind !== 'setup') this.exchanges.push(exchange);
    return exchange;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A short pause between requests; a longer one after a 5xx, as a client that honours Retry-After would take. */
function pause(random: Random, answered: Exchange[]): number {
  return answered.some((exchange) => exchange.status >= 500) ? random.int(800, 2000) : random.int(50, 400);
}

/** What drives one simulated user: whose requests, with which personalities, on which random stream, until when. */
export interface Driver {
  traffic: Traffic;
  tenant: Tenant;
  personalities: string[];
  random: Random;
  name: string;
  /** Moved later while the run goes on (after a slow restart). */
  deadline: { until: number };
}

const TOPICS = ['gummies', 'pre-rolls', 'tinctures', 'vapes', 'opening hours', 'the loyalty card', 'edibles'];

/**
 * One customer: conversations of a few turns each with a personality, some whole replies and some streamed, and
 * now and then two messages sent to one conversation at once (a double tap).
 */
export async function customer(options: Driver): Promise<void> {
  const { traffic, tenant, random, name } = options;
  let conversationId: string | undefined;
  let personalityId = random.pick(options.personalities);
  let turnsLeft = 0;
  let asked = 0;
  while (Date.now() < options.deadline.until) {
    if (turnsLeft <= 0) {
      conversationId = undefined;
      personalityId = random.pick(options.personalities);
      turnsLeft = random.int(2, 5);
    }
    const together = conversationId && random.chance(0.15) ? 2 : 1;
    const turns = Array.from({ length: together }, () => {
      asked += 1;
      // Under a dozen words and no full stop of its own: the simulator's reply quotes it as one sentence.
      const message = `${name} question ${asked} about ${random.pick(TOPICS)}`;
      const stream = random.chance(0.4);
      const body = {
        message,
        personality_id: personalityId,
        ...(conversationId ? { conversation_id: conversationId } : {}),
      };
      return traffic
        .send(stream ? 'stream' : 'chat', tenant, 'POST', stream ? '/api/chat/stream' : '/api/chat', body)
        .then((exchange) => {
          exchange.message = message;
          exchange.conversationId =
            conversationId ??
            exchange.body?.conversation_id ??
            exchange.body?.error?.details?.conversation_id ??
            exchange.events?.find((event) => event.event === 'start')?.data?.conversation_id;
          return exchange;
        });
    });
    const answered = await Promise.all(turns);
    conversationId ??= answered.find((exchange) => exchange.conversationId)?.conversationId;
    turnsLeft -= together;
    await sleep(pause(random, answered));
  }
}

/** Lines a shop says again and again, so some speech comes from the cache. */
const STOCK_LINES = [
  'Welcome in! How can I help you today?',
  'Thanks for stopping by. Come back soon!',
  'Start low and go slow.',
  'Our gummies come in five milligram pieces.',
];

/** An admin trying voices in the console: stock lines and fresh ones, one or several sentences. */
export async function speaker(options: Driver): Promise<void> {
  const { traffic, tenant, random, name } = options;
  let line = 0;
  while (Date.now() < options.deadline.until) {
    line += 1;
    const text = random.chance(0.5)
      ? random.pick(STOCK_LINES)
      : `This is ${name} trying line ${line}. ${random.chance(0.5) ? `It has a second sentence about ${random.pick(TOPICS)}.` : ''}`.trim();
    const personalityId = random.pick(options.personalities);
    const answered = await traffic.send(
      'speech',
      tenant,
      'POST',
      `/api/admin/ai-personalities/${personalityId}/voice/generate`,
      { text },
    );
    await sleep(pause(random, [answered]));
  }
}

export interface Training {
  tenant: Tenant;
  personalityId: string;
  sampleIds: string[];
  jobId?: string;
  /** How its state machine execution ended (RUNNING if it had not by the deadline). */
  execution?: string;
  /** The voice status read once the execution ended. */
  final?: any;
}

/** A personality with a minute of valid recordings, ready to be trained; done before faults begin. */
export async function prepareTraining(traffic: Traffic, tenant: Tenant): Promise<Training> {
  const created = await traffic.send('setup', tenant, 'POST', '/api/admin/ai-personalities', {
    name: 'Clone',
    traits: { gender: 'female' },
    voice_config: {
      provider: 'google',
      voice_id: 'en-US-Neural2-F',
      fallback: { provider: 'polly', voice_id: 'Joanna' },
    },
  });
  if (created.status !== 201) throw new Error(`personality not created: ${JSON.stringify(created.body)}`);
  const personalityId = created.body.id as string;
  const recordings = [
    { name: 'take one.wav', bytes: await speechWav(35) },
    { name: 'take two.wav', bytes: await speechWav(36) },
  ];
  const registered = await traffic.send(
    'setup',
    tenant,
    'POST',
    `/api/admin/ai-personalities/${personalityId}/voice/upload`,
    {
      files: recordings.map((recording) => ({
        name: recording.name,
        content_type: 'audio/wav',
        size: recording.bytes.length,
      })),
    },
  );
  if (registered.status !== 201) throw new Error(`upload not registered: ${JSON.stringify(registered.body)}`);
  const samples = registered.body.samples as RegisteredSample[];
  await postRecordings(samples, recordings);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const listed = await traffic.send(
      'setup',
      tenant,
      'GET',
      `/api/admin/ai-personalities/${personalityId}/voice/samples`,
    );
    const statuses = (listed.body?.samples ?? []).map((sample: { status: string }) => sample.status);
    if (statuses.length === 2 && statuses.every((status: string) => status === 'valid')) break;
    if (statuses.includes('rejected'))
      throw new Error(`a sample was rejected: ${JSON.stringify(listed.body)}`);
    if (Date.now() > deadline) throw new Error(`samples not judged in time: ${JSON.stringify(listed.body)}`);
    await sleep(200);
  }
  return { tenant, personalityId, sampleIds: samples.map((sample) => sample.sample_id) };
}

/**
 * Starts the training after `delayMs`, asking again (the same request, which is idempotent) while the platform
 * answers 5xx, as an admin would after "try again".
 */
export async function train(traffic: Traffic, training: Training, delayMs: number): Promise<void> {
  await sleep(delayMs);
  const giveUp = Date.now() + 45_000;
  while (Date.now() < giveUp) {
    const started = await traffic.send(
      'train',
      training.tenant,
      'POST',
      `/api/admin/ai-personalities/${training.personalityId}/voice/train`,
      { sample_ids: training.sampleIds, provider: 'elevenlabs', consent: CONSENT },
    );
    if (started.status === 202) {
      training.jobId = started.body.training_job_id;
      return;
    }
    if (started.status < 500 && started.status !== 0) return;
    await sleep(2000);
  }
}

/**
 * Waits (faults cleared, the table up) until the training's execution has ended, then reads its status: "ready"
 * is written before the sample clip is made, and a clip that fails still turns the training to failed.
 */
export async function settleTraining(
  traffic: Traffic,
  training: Training,
  executionStatus: (jobId: string) => Promise<string>,
  until: number,
): Promise<void> {
  if (training.jobId) {
    for (;;) {
      training.execution = await executionStatus(training.jobId).catch((error: Error) => error.name);
      if (training.execution !== 'RUNNING' || Date.now() > until) break;
      await sleep(250);
    }
  }
  const status = await traffic.send(
    'setup',
    training.tenant,
    'GET',
    `/api/admin/ai-personalities/${training.personalityId}/voice/status`,
  );
  training.final = status.body;
}
