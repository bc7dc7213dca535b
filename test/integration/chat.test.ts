// Chat over HTTP on the local stack, the OpenAI simulator as the model: who answers, what the model is told,
// stored conversations, concurrency, the streaming pipeline, and failures that never lose the customer's message.
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parseBuffer } from 'music-metadata';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { LOCAL_RESOURCES } from '../../local/stack.ts';
import { call, download, freshTenant, simulator, tableClient } from './support.ts';

let tenant: Awaited<ReturnType<typeof freshTenant>>;

beforeEach(async () => {
  tenant = await freshTenant();
});

afterEach(async () => {
  await simulator('openai').setState({ chatReply: null, tokenDelayMs: null });
  await simulator('openai').clearFaults();
});

const chat = (body: Record<string, unknown>, token = tenant.member) =>
  call('/api/chat', { token, json: body });

async function chatRequests() {
  return (await simulator('openai').requests()).filter((request) => request.path === '/v1/chat/completions');
}

/** The chat request the model simulator got for a message only this test sent. */
async function requestFor(message: string) {
  const found = (await chatRequests()).find((request) => request.text === message);
  expect(found, message).toBeDefined();
  return found!.body as { messages: Array<{ role: string; content: string }>; stream?: boolean };
}

async function conversationItems(tenantId: string): Promise<number> {
  const { Items } = await tableClient().send(
    new ScanCommand({
      TableName: LOCAL_RESOURCES.tableName,
      FilterExpression: 'begins_with(pk, :prefix)',
      ExpressionAttributeValues: { ':prefix': `TENANT#${tenantId}#CONV#` },
    }),
  );
  return Items?.length ?? 0;
}

const unique = (text: string) => `${text} [${randomUUID().slice(0, 8)}]`;

describe('who answers', () => {
  it('walks the chain: the request’s personality, the conversation’s, the primary, the first active, marcel', async () => {
    const admin = tenant.admin;
    const named = await chat({ message: unique('Hi'), personality_id: 'zac' });
    const followUp = await chat({ message: unique('And?'), conversation_id: named.body.conversation_id });
    await call('/api/admin/tenant/settings', {
      method: 'PUT',
      token: admin,
      json: { primary_personality_id: 'shante' },
    });
    const primary = await chat({ message: unique('Hello') });
    await call('/api/admin/tenant/settings', {
      method: 'PUT',
      token: admin,
      json: { primary_personality_id: null },
    });
    await call('/api/admin/ai-personalities/marcel', {
      method: 'PUT',
      token: admin,
      json: { version: 0, is_active: false },
    });
    const firstActive = await chat({ message: unique('Hey') });
    for (const id of ['shante', 'zac']) {
      await call(`/api/admin/ai-personalities/${id}`, {
        method: 'PUT',
        token: admin,
        json: { version: 0, is_active: false },
      });
    }
    const lastResort = await chat({ message: unique('Anyone?') });

    expect(named.body.personality.id).toBe('zac');
    expect(followUp.body.personality.id).toBe('zac');
    expect(followUp.body.conversation_id).toBe(named.body.conversation_id);
    expect(primary.body.personality.id).toBe('shante');
    expect(firstActive.body.personality.id).toBe('shante');
    expect(lastResort.body.personality.id).toBe('marcel');
  });

  it('tells the model the personality’s traits, custom prompt and phrases', async () => {
    const message = unique('What do you recommend for a calm evening?');

    await chat({ message, personality_id: 'shante' });

    const sent = await requestFor(message);
    const system = sent.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('You are Shanté, a 32-year-old female budtender');
    const shante = (await call('/api/admin/ai-personalities/shante', { token: tenant.admin })).body;
    expect(system.content).toContain(shante.system_prompt);
    expect(system.content).toContain(shante.response_style.opening_phrases[0]);
    expect(system.content).toContain(shante.response_style.closing_phrases[0]);
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: message });
  });

  it('trims history to the budget, keeping the system prompt and the newest turns', async () => {
    const first = await chat({ message: unique('First question. ' + 'padding words '.repeat(60)) });
    const id = first.body.conversation_id;
    for (let turn = 0; turn < 6; turn += 1)
      await chat({ message: unique(`Question ${turn}. ` + 'more padding '.repeat(60)), conversation_id: id });
    const before = (await call(`/api/conversations/${id}`, { token: tenant.member })).body.messages;
    const last = unique('Newest question');

    await chat({ message: last, conversation_id: id });

    const sent = await requestFor(last);
    expect(before).toHaveLength(14);
    expect(sent.messages[0]!.role).toBe('system');
    // The budget (CHAT_HISTORY_TOKENS on the test stack) holds some turns, not all 14 stored messages.
    expect(sent.messages.length).toBeGreaterThan(3);
    expect(sent.messages.length).toBeLessThan(14);
    const history = sent.messages.slice(1, -1).map((message) => message.content);
    // The newest turn is kept (as the model wrote it: the stored text may carry the personality's emoji).
    expect(before.at(-1).text.startsWith(history.at(-1)!)).toBe(true);
    expect(history.some((content) => content.startsWith('First question'))).toBe(false);
  });
});

describe('a chat turn', () => {
  it('answers with text and playable audio, and stores both messages', async () => {
    const message = unique('Do you have any gummies?');

    const response = await chat({ message, personality_id: 'marcel' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      personality: { id: 'marcel', name: 'Marcel' },
      provider: 'google',
      model_provider: 'openai',
      voice: { spoke: true },
    });
    expect(response.body.text.length).toBeGreaterThan(20);
    const audio = await parseBuffer(
      await download(response.body.audio_url),
      { mimeType: 'audio/mpeg' },
      { duration: true },
    );
    expect(audio.format.duration).toBeGreaterThan(1);
    const stored = await call(`/api/conversations/${response.body.conversation_id}`, {
      token: tenant.member,
    });
    expect(
      stored.body.messages.map((m: { role: string; text: string; seq: number }) => [m.seq, m.role, m.text]),
    ).toEqual([
      [1, 'user', message],
      [2, 'assistant', response.body.text],
    ]);
    expect(stored.body.messages[1].audio_urls).toHaveLength(1);
    expect((await download(stored.body.messages[1].audio_urls[0])).length).toBeGreaterThan(1000);
  });

  it('keeps every message of 20 posts made at once to one conversation, in one unbroken sequence', async () => {
    const first = await chat({ message: unique('Opening') });
    const id = first.body.conversation_id;

    const replies = await Promise.all(
      Array.from({ length: 19 }, (_, n) => chat({ message: unique(`Parallel ${n}`), conversation_id: id })),
    );

    expect(replies.map((reply) => reply.status)).toEqual(Array(19).fill(200));
    const stored = (await call(`/api/conversations/${id}`, { token: tenant.member })).body.messages;
    expect(stored).toHaveLength(40);
    expect(stored.map((message: { seq: number }) => message.seq)).toEqual(
      Array.from({ length: 40 }, (_, n) => n + 1),
    );
    expect(stored.filter((message: { role: string }) => message.role === 'user')).toHaveLength(20);
    expect(new Set(stored.map((message: { id: string }) => message.id)).size).toBe(40);
  });

  it('shows the emoji as often as the humour level says, decided by the message id, and never speaks it', async () => {
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, n) => chat({ message: unique(`Hey ${n}`), personality_id: 'zac' })),
    );
    const zac = (await call('/api/admin/ai-personalities/zac', { token: tenant.admin })).body;

    const styled = replies.filter((reply) => reply.body.text.includes(zac.emoji));
    expect(styled.length).toBeGreaterThan(0);
    const speech = await simulator('google').requests();
    for (const reply of styled) {
      expect(speech.some((request) => request.text?.includes(zac.emoji))).toBe(false);
      expect(reply.body.voice, JSON.stringify(reply.body)).toMatchObject({ spoke: true });
    }
  });

  it('answers 502 when the model fails, keeping the customer’s message', async () => {
    await simulator('openai').fault({ kind: 'server_error', path: '/v1/chat/completions', times: 2 });
    const message = unique('Are you there?');

    const response = await chat({ message });

    expect(response.status).toBe(502);
    expect(response.body.error.code).toBe('model_unavailable');
    const stored = await call(`/api/conversations/${response.body.error.details.conversation_id}`, {
      token: tenant.member,
    });
    expect(stored.body.messages.map((m: { role: string; text: string }) => [m.role, m.text])).toEqual([
      ['user', message],
    ]);
  });

  it('replies in text only, saying why, when no voice can speak', async () => {
    const voiceId = `down-${randomUUID().slice(0, 8)}`;
    await simulator('elevenlabs').addVoice({ id: voiceId, name: 'Down' });
    await simulator('elevenlabs').fault({ kind: 'server_error', voice: voiceId });
    const created = await call('/api/admin/ai-personalities', {
      token: tenant.admin,
      json: { name: 'Mute', voice_config: { provider: 'elevenlabs', voice_id: voiceId } },
    });

    const response = await chat({ message: unique('Can you hear me?'), personality_id: created.body.id });

    expect(response.status).toBe(200);
    expect(response.body.audio_url).toBeNull();
    expect(response.body.voice).toMatchObject({ spoke: false, reason: 'speech_unavailable' });
    expect(response.body.text.length).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  it('refuses empty, too long, unknown or inactive personality, foreign or malformed conversation, unknown fields', async () => {
    const other = await freshTenant();
    const theirs = await call('/api/chat', { token: other.member, json: { message: 'Mine' } });
    await call('/api/admin/ai-personalities/zac', {
      method: 'PUT',
      token: tenant.admin,
      json: { version: 0, is_active: false },
    });

    const answers = await Promise.all([
      chat({ message: '   ' }),
      chat({ message: 'x'.repeat(4001) }),
      chat({ message: 'Hi', personality_id: 'nobody-here' }),
      chat({ message: 'Hi', personality_id: 'zac' }),
      chat({ message: 'Hi', conversation_id: theirs.body.conversation_id }),
      chat({ message: 'Hi', conversation_id: 'not-a-conversation' }),
      chat({ message: 'Hi', tenant_id: other.tenantId }),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 404, 409, 404, 400, 400]);
    expect(answers.map((answer) => answer.body.error.code)).toEqual([
      'invalid_request',
      'invalid_request',
      'personality_not_found',
      'personality_inactive',
      'conversation_not_found',
      'invalid_request',
      'invalid_request',
    ]);
    expect(answers[1]!.body.error.message).toContain('4000');
    expect(await conversationItems(tenant.tenantId)).toBe(0);
  });

  it('hides another tenant’s conversation', async () => {
    const other = await freshTenant();
    const theirs = await call('/api/chat', { token: other.member, json: { message: 'Private' } });

    const read = await call(`/api/conversations/${theirs.body.conversation_id}`, { token: tenant.member });

    expect(read.status).toBe(404);
  });
});

describe('the streaming route', () => {
  async function stream(body: Record<string, unknown>) {
    const response = await fetch(`${inject('stackUrl')}/api/chat/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.member}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const events: Array<{ event: string; data: any; at: number }> = [];
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event) events.push({ event, data: data ? JSON.parse(data) : undefined, at: performance.now() });
      }
    }
    return { status: response.status, contentType: response.headers.get('content-type'), events };
  }

  it('speaks the first sentence before the model has finished, and every sentence in order', async () => {
    const reply =
      'Welcome in, friend. Our Blue Dream is on special today. It is bright and uplifting. ' +
      'Start low and go slow with it. Come back and tell me how you liked it.';
    await simulator('openai').setState({ chatReply: reply, tokenDelayMs: 60 });

    const { status, contentType, events } = await stream({
      message: unique('What is good today?'),
      personality_id: 'marcel',
    });

    expect(status).toBe(200);
    expect(contentType).toContain('text/event-stream');
    const texts = events.filter((e) => e.event === 'text');
    const audios = events.filter((e) => e.event === 'audio');
    expect(texts.map((e) => e.data.delta).join('')).toBe(reply);
    const lastToken = events.lastIndexOf(texts.at(-1)!);
    expect(events.indexOf(audios[0]!)).toBeLessThan(lastToken);
    expect(audios.map((e) => e.data.index)).toEqual([0, 1, 2, 3, 4]);
    expect(audios.map((e) => e.data.text)).toEqual([
      'Welcome in, friend.',
      'Our Blue Dream is on special today.',
      'It is bright and uplifting.',
      'Start low and go slow with it.',
      'Come back and tell me how you liked it.',
    ]);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    const stored = (await call(`/api/conversations/${done.data.conversation_id}`, { token: tenant.member }))
      .body.messages;
    expect(stored.map((m: { id: string }) => m.id)).toEqual([
      done.data.message_ids.user,
      done.data.message_ids.assistant,
    ]);
    expect(stored[1].audio_urls).toHaveLength(5);
    const first = await parseBuffer(
      await download(audios[0]!.data.url),
      { mimeType: 'audio/mpeg' },
      { duration: true },
    );
    expect(first.format.duration).toBeGreaterThan(0.3);
  });

  it('reports a model failure as an error event and keeps the customer’s message', async () => {
    await simulator('openai').fault({ kind: 'quota_exceeded', path: '/v1/chat/completions', times: 1 });

    const { status, events } = await stream({ message: unique('Hello?') });

    expect(status).toBe(200);
    expect(events.map((e) => e.event)).toEqual(['start', 'error', 'done']);
    expect(events[1]!.data.code).toBe('model_unavailable');
    expect(events[2]!.data.message_ids.assistant).toBeNull();
  });

  it('refuses bad input with an ordinary JSON error before streaming', async () => {
    const response = await fetch(`${inject('stackUrl')}/api/chat/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.member}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: '' }),
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });
});
