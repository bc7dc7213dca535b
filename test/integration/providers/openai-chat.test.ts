// Contract test: the OpenAI chat adapter drives the real `openai` SDK against the simulator's chat completions.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAiChatModel } from '../../../functions/providers/llm/openai.ts';
import { ChatModelError, type ChatModel, type ChatRequest } from '../../../functions/providers/llm/port.ts';
import type { FaultKind } from '../../simulators/harness.ts';
import { createOpenAiSimulator } from '../../simulators/openai.ts';

const PATH = '/v1/chat/completions';
const simulator = createOpenAiSimulator();
let url = '';

beforeAll(async () => {
  url = await simulator.start();
});
afterAll(() => simulator.stop());
beforeEach(() => {
  simulator.clearFaults();
  simulator.state.delete('chatReply');
  simulator.state.delete('tokenDelayMs');
});

const adapter = (timeoutMs = 10_000, model = 'gpt-4o-mini'): ChatModel =>
  createOpenAiChatModel({ apiKey: 'sk-test', baseUrl: `${url}/v1`, model, timeoutMs });

/** A conversation whose last message no other test sends, so each test finds its own requests. */
function conversation(words = 'Can you recommend something to relax tonight?'): ChatRequest {
  return {
    messages: [
      { role: 'system', content: 'You are Marcel, a 45-year-old budtender with refined taste.' },
      { role: 'user', content: 'Hello there.' },
      { role: 'assistant', content: 'Welcome in. What sort of experience are you looking for today?' },
      { role: 'user', content: `${words} (${randomUUID().slice(0, 8)})` },
    ],
    seed: 'seed',
    persona: { name: 'Marcel' },
  };
}

const lastText = (request: ChatRequest) => request.messages.at(-1)!.content;
const requestsFor = (request: ChatRequest) => simulator.requests.filter((r) => r.text === lastText(request));
const twentyWords =
  'Blue Dream is a smooth hybrid with sweet berry notes, and most people find it calm, friendly and easy to enjoy.';

async function collect(pieces: AsyncIterable<string>, onPiece?: (piece: string) => void): Promise<string[]> {
  const collected: string[] = [];
  for await (const piece of pieces) {
    collected.push(piece);
    onPiece?.(piece);
  }
  return collected;
}

async function failure(promise: Promise<unknown>): Promise<ChatModelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ChatModelError);
  return error as ChatModelError;
}

describe('OpenAI chat', () => {
  it('complete and stream return the same text for the same reply, the stream in several deltas', async () => {
    simulator.state.set('chatReply', twentyWords);

    const whole = await adapter().complete(conversation());
    const pieces = await collect(adapter().stream(conversation()));

    expect(whole).toMatchObject({ text: twentyWords, model: 'gpt-4o-mini' });
    expect(whole.usage?.completion_tokens).toBeGreaterThan(20);
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(twentyWords);
  });

  it('without a set reply, answers as the personality in 3–4 sentences about the last message', async () => {
    const request = conversation('Do you have anything with a citrus aroma?');

    const { text } = await adapter().complete(request);

    expect(text).toContain('Marcel');
    expect(text).toContain('Do you have anything with a citrus aroma?');
    // The customer's words are quoted, with their own punctuation: count the sentences around them.
    const sentences = text.replace(/"[^"]*"/, '""').split(/(?<=[.!?])\s+/);
    expect(sentences.length).toBeGreaterThanOrEqual(3);
    expect(sentences.length).toBeLessThanOrEqual(4);
  });

  it('streams as the model writes: the first delta arrives well before the last', async () => {
    simulator.state.set('chatReply', twentyWords);
    simulator.state.set('tokenDelayMs', 30);
    const times: number[] = [];

    await collect(adapter().stream(conversation()), () => times.push(Date.now()));

    expect(times.length).toBeGreaterThan(10);
    expect(times[0]!).toBeLessThan(times.at(-1)! - 100);
  });

  it('sends the system prompt, the history and the new message in order', async () => {
    const request = conversation();

    await adapter().complete(request);
    await collect(adapter().stream(request));

    const [whole, streamed] = requestsFor(request);
    expect(whole?.path).toBe(PATH);
    expect(whole?.headers.authorization).toBe('Bearer sk-test');
    expect(whole?.body).toEqual({ model: 'gpt-4o-mini', messages: request.messages });
    expect(streamed?.body).toEqual({ model: 'gpt-4o-mini', messages: request.messages, stream: true });
  });
});

describe('OpenAI chat failures', () => {
  const faults: Array<[FaultKind, string, number, string, number]> = [
    ['server_error', 'retryable', 500, 'server_error', 2],
    ['rate_limited', 'rate_limited', 429, 'rate_limit_exceeded', 2],
    ['quota_exceeded', 'quota_exceeded', 429, 'insufficient_quota', 1],
    ['auth', 'auth', 401, 'invalid_api_key', 1],
  ];

  it.each(faults)(
    '%s → %s (%i %s), retried only when transient',
    async (kind, expected, status, code, calls) => {
      simulator.addFault({ kind, path: PATH });
      const whole = conversation();
      const streamed = conversation();

      const completeError = await failure(adapter().complete(whole));
      const streamError = await failure(collect(adapter().stream(streamed)));

      for (const error of [completeError, streamError]) {
        expect(error).toMatchObject({ kind: expected, details: { status, providerCode: code } });
      }
      expect(requestsFor(whole)).toHaveLength(calls);
      expect(requestsFor(streamed)).toHaveLength(calls);
    },
  );

  it('retries one passing 500 once, and succeeds (2 requests)', async () => {
    simulator.state.set('chatReply', twentyWords);
    const whole = conversation();
    const streamed = conversation();

    simulator.addFault({ kind: 'server_error', path: PATH, times: 1 });
    const reply = await adapter().complete(whole);
    simulator.addFault({ kind: 'server_error', path: PATH, times: 1 });
    const pieces = await collect(adapter().stream(streamed));

    expect(reply.text).toBe(twentyWords);
    expect(pieces.join('')).toBe(twentyWords);
    expect(requestsFor(whole).map((r) => r.fault ?? 'ok')).toEqual(['server_error', 'ok']);
    expect(requestsFor(streamed).map((r) => r.fault ?? 'ok')).toEqual(['server_error', 'ok']);
  });

  it('does not retry a spent quota (1 request)', async () => {
    const request = conversation();
    simulator.addFault({ kind: 'quota_exceeded', path: PATH, times: 1 });

    const error = await failure(adapter().complete(request));

    expect(error.kind).toBe('quota_exceeded');
    expect(error.transient).toBe(false);
    expect(requestsFor(request)).toHaveLength(1);
  });

  it('a stream cut after text went out → retryable, without a retry that would repeat the text', async () => {
    simulator.state.set('chatReply', twentyWords);
    simulator.addFault({ kind: 'broken_stream', path: PATH, times: 1 });
    const request = conversation();
    const received: string[] = [];

    const error = await failure(collect(adapter().stream(request), (piece) => received.push(piece)));

    expect(error.kind).toBe('retryable');
    expect(received.length).toBeGreaterThan(0);
    expect(twentyWords.startsWith(received.join(''))).toBe(true);
    expect(received.join('')).not.toBe(twentyWords);
    expect(requestsFor(request)).toHaveLength(1);
  });

  it('an unknown model → invalid_request (404 model_not_found), not retried', async () => {
    const request = conversation();

    const error = await failure(adapter(10_000, 'gpt-0-imaginary').complete(request));

    expect(error).toMatchObject({
      kind: 'invalid_request',
      details: { status: 404, providerCode: 'model_not_found' },
    });
    expect(requestsFor(request)).toHaveLength(1);
  });

  it('no answer within timeoutMs (500 ms) → timeout, in about that time, not retried', async () => {
    simulator.addFault({ kind: 'timeout', path: PATH, delayMs: 3000 });
    const request = conversation();
    const started = Date.now();

    const error = await failure(adapter(500).complete(request));

    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(requestsFor(request)).toHaveLength(1);
  });

  it('a stream that stalls for longer than timeoutMs → timeout', async () => {
    simulator.state.set('tokenDelayMs', 2000);
    const request = conversation();
    const started = Date.now();

    const error = await failure(collect(adapter(500).stream(request)));

    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a call the caller aborts ends at once, as a timeout', async () => {
    simulator.addFault({ kind: 'slow_first_byte', path: PATH, delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();

    const error = await failure(collect(adapter().stream({ ...conversation(), signal: controller.signal })));

    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('the chat simulator validates as OpenAI does', () => {
  async function post(body: unknown, key: string | null = 'sk-test') {
    const response = await fetch(`${url}${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, error: ((await response.json()) as any).error };
  }
  const messages = [{ role: 'user', content: 'Hi' }];

  it.each([
    ['no key', { model: 'gpt-4o-mini', messages }, null, 401, null],
    ['an unknown field', { model: 'gpt-4o-mini', messages, mood: 'chill' }, 'sk-test', 400, null],
    ['empty messages', { model: 'gpt-4o-mini', messages: [] }, 'sk-test', 400, 'empty_array'],
    [
      'a bad role',
      { model: 'gpt-4o-mini', messages: [{ role: 'bot', content: 'x' }] },
      'sk-test',
      400,
      'invalid_value',
    ],
    [
      'temperature 3',
      { model: 'gpt-4o-mini', messages, temperature: 3 },
      'sk-test',
      400,
      'decimal_above_max_value',
    ],
    [
      'max_tokens 0',
      { model: 'gpt-4o-mini', messages, max_tokens: 0 },
      'sk-test',
      400,
      'integer_below_min_value',
    ],
    ['an unknown model', { model: 'gpt-9', messages }, 'sk-test', 404, 'model_not_found'],
  ])('refuses %s', async (_case, body, key, status, code) => {
    const answer = await post(body, key);

    expect(answer.status).toBe(status);
    expect(answer.error).toMatchObject({ code });
  });

  it('words an unknown field as OpenAI does', async () => {
    expect((await post({ model: 'gpt-4o', messages, mood: 'chill' })).error.message).toBe(
      'Unrecognized request argument supplied: mood',
    );
  });
});
