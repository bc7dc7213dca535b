// Speaking over HTTP on the local stack, with the providers' simulators: the sentence cache, fallback on failures,
// retries only where they help, usage records, and a lexicon that changes what the provider hears.
import { randomUUID } from 'node:crypto';
import { parseBuffer } from 'music-metadata';
import { beforeEach, describe, expect, it } from 'vitest';
import { call, download, freshTenant, simulator, usageCounter, usageRecords } from './support.ts';

const BASE = '/api/admin/ai-personalities';

let tenant: Awaited<ReturnType<typeof freshTenant>>;

beforeEach(async () => {
  tenant = await freshTenant();
});

/** A voice only this test uses, so faults injected for it touch nothing else. */
async function ownElevenLabsVoice(): Promise<string> {
  const voiceId = `test-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await simulator('elevenlabs').addVoice({
    id: voiceId,
    name: 'Test voice',
    languages: ['en-US'],
    gender: 'female',
  });
  return voiceId;
}

async function personalityWith(voice_config: Record<string, unknown>): Promise<string> {
  const created = await call(BASE, {
    token: tenant.admin,
    json: { name: 'Speaker', traits: { gender: 'female' }, voice_config },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function generate(personalityId: string, body: Record<string, unknown>) {
  return call(`${BASE}/${personalityId}/voice/generate`, { token: tenant.admin, json: body });
}

async function synthesisRequests(provider: 'elevenlabs' | 'google' | 'openai' | 'polly', voiceId: string) {
  return (await simulator(provider).requests(voiceId)).filter((request) => request.method === 'POST');
}

describe('the sentence cache', () => {
  it('says the same text twice with one provider call, and records the second as cached', async () => {
    const voiceId = await ownElevenLabsVoice();
    const personality = await personalityWith({ provider: 'elevenlabs', voice_id: voiceId });

    const first = await generate(personality, { text: 'Welcome in, friend.' });
    const second = await generate(personality, { text: 'Welcome in, friend.' });

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      provider: 'elevenlabs',
      cached: false,
      fell_back: false,
      sentences: 1,
    });
    expect(second.body).toMatchObject({ provider: 'elevenlabs', cached: true, cached_sentences: 1 });
    expect(await synthesisRequests('elevenlabs', voiceId)).toHaveLength(1);
    const records = await usageRecords(tenant.tenantId);
    expect(records).toHaveLength(2);
    const cachedRecord = records.find((record) => record.cached);
    const paidRecord = records.find((record) => !record.cached);
    expect(paidRecord?.cost_usd).toBeGreaterThan(0);
    expect(cachedRecord).toMatchObject({
      cost_usd: 0,
      saved_usd: paidRecord?.cost_usd,
      characters: paidRecord?.characters,
    });
    expect(cachedRecord?.audio_seconds).toBeCloseTo(paidRecord?.audio_seconds, 2);
  });

  it('pays only for the new sentence of a reply that repeats one said before', async () => {
    const voiceId = await ownElevenLabsVoice();
    const personality = await personalityWith({ provider: 'elevenlabs', voice_id: voiceId });
    await generate(personality, { text: 'Welcome in.' });

    const reply = await generate(personality, { text: 'Welcome in. Blue Dream is on special today.' });

    expect(reply.body).toMatchObject({ sentences: 2, cached_sentences: 1, cached: false });
    const requests = await synthesisRequests('elevenlabs', voiceId);
    expect(requests.map((request) => request.text)).toEqual([
      'Welcome in.',
      'Blue Dream is on special today.',
    ]);
  });

  it('speaks the same new sentence for many requests at once, every one with audio', async () => {
    const voiceId = await ownElevenLabsVoice();
    const personality = await personalityWith({ provider: 'elevenlabs', voice_id: voiceId });

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => generate(personality, { text: 'Everyone asks at once. And again.' })),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    const files = await Promise.all(answers.map((answer) => download(answer.body.audio_url)));
    expect(files.every((file) => file.length > 1000)).toBe(true);
  });

  it('keeps counters that add up to the records', async () => {
    const voiceId = await ownElevenLabsVoice();
    const personality = await personalityWith({ provider: 'elevenlabs', voice_id: voiceId });
    await generate(personality, { text: 'One. Two.' });
    await generate(personality, { text: 'One. Three.' });

    const records = await usageRecords(tenant.tenantId);
    const all = await usageCounter(tenant.tenantId);
    const elevenlabs = await usageCounter(tenant.tenantId, 'provider#elevenlabs');

    expect(records).toHaveLength(4);
    expect(all).toMatchObject({ requests: 4, cached_requests: 1 });
    expect(all?.characters).toBe(records.reduce((sum, record) => sum + record.characters, 0));
    expect(all?.cost_usd).toBeCloseTo(
      records.reduce((sum, record) => sum + record.cost_usd, 0),
      6,
    );
    expect(elevenlabs?.requests).toBe(4);
  });
});

describe('fallback and retries', () => {
  it('falls back to Google when ElevenLabs answers 500 on every try, after retrying', async () => {
    const voiceId = await ownElevenLabsVoice();
    const personality = await personalityWith({
      provider: 'elevenlabs',
      voice_id: voiceId,
      fallback: { provider: 'google', voice_id: 'en-US-Neural2-F' },
    });
    await simulator('elevenlabs').fault({ kind: 'server_error', voice: voiceId });

    const response = await generate(personality, { text: 'Our flower menu changed this week.' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ provider: 'google', voice_id: 'en-US-Neural2-F', fell_back: true });
    expect(response.body.fallback_reasons).toEqual([
      expect.objectContaining({ provider: 'elevenlabs', reason: 'retryable' }),
    ]);
    expect(await synthesisRequests('elevenlabs', voiceId)).toHaveLength(3);
  });

  it('retries a 429 and speaks with the same voice when the retry gets through', async () => {
    const voiceId = await ownElevenLabsVoice();
    const personality = await personalityWith({
      provider: 'elevenlabs',
      voice_id: voiceId,
      fallback: { provider: 'google', voice_id: 'en-US-Neural2-F' },
    });
    await simulator('elevenlabs').fault({ kind: 'rate_limited', voice: voiceId, times: 1 });

    const response = await generate(personality, { text: 'Edibles are in the second case.' });

    expect(response.body).toMatchObject({ provider: 'elevenlabs', fell_back: false });
    expect(await synthesisRequests('elevenlabs', voiceId)).toHaveLength(2);
  });

  it('retries a lasting 429, then falls back', async () => {
    const voiceId = await ownElevenLabsVoice();
    const personality = await personalityWith({
      provider: 'elevenlabs',
      voice_id: voiceId,
      fallback: { provider: 'google', voice_id: 'en-US-Neural2-F' },
    });
    await simulator('elevenlabs').fault({ kind: 'rate_limited', voice: voiceId });

    const response = await generate(personality, { text: 'Pre-rolls are by the register.' });

    expect(response.body).toMatchObject({ provider: 'google', fell_back: true });
    expect(response.body.fallback_reasons[0].reason).toBe('rate_limited');
    expect(await synthesisRequests('elevenlabs', voiceId)).toHaveLength(3);
  });

  it('falls back at once, without a retry, when the provider’s quota is spent', async () => {
    const voiceId = await ownElevenLabsVoice();
    const personality = await personalityWith({
      provider: 'elevenlabs',
      voice_id: voiceId,
      fallback: { provider: 'google', voice_id: 'en-US-Neural2-F' },
    });
    await simulator('elevenlabs').fault({ kind: 'quota_exceeded', voice: voiceId });

    const response = await generate(personality, { text: 'Tinctures are behind the counter.' });

    expect(response.body).toMatchObject({ provider: 'google', fell_back: true });
    expect(response.body.fallback_reasons[0].reason).toBe('quota_exceeded');
    expect(await synthesisRequests('elevenlabs', voiceId)).toHaveLength(1);
  });

  it('answers 503 when every voice fails, and records no usage for audio never made', async () => {
    const voiceId = await ownElevenLabsVoice();
    const personality = await personalityWith({
      provider: 'elevenlabs',
      voice_id: voiceId,
      fallback: { provider: 'openai', voice_id: 'onyx' },
    });
    await simulator('elevenlabs').fault({ kind: 'server_error', voice: voiceId });
    await simulator('openai').fault({ kind: 'server_error', voice: 'onyx', times: 3 });

    const response = await generate(personality, { text: 'Nobody can say this.' });

    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('speech_unavailable');
    expect(response.body.error.message).toContain('elevenlabs');
    expect(response.body.error.details.attempts.map((a: { provider: string }) => a.provider)).toEqual([
      'elevenlabs',
      'openai',
    ]);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await usageRecords(tenant.tenantId)).toEqual([]);
  });

  it('speaks with the fallback, and says so, while the custom voice is still training', async () => {
    const personality = await personalityWith({
      provider: 'elevenlabs',
      voice_id: await ownElevenLabsVoice(),
      fallback: { provider: 'google', voice_id: 'en-US-Neural2-F' },
    });
    const { setVoiceStatus } = await import('./voice-status.ts');
    await setVoiceStatus(tenant.tenantId, personality, 'training');

    const response = await generate(personality, { text: 'My new voice is nearly ready.' });

    expect(response.body).toMatchObject({ provider: 'google', fell_back: true });
    expect(response.body.fallback_reasons[0]).toMatchObject({
      provider: 'elevenlabs',
      reason: 'custom_voice_not_ready',
    });
  });
});

describe('pronunciations', () => {
  it('sends the alias, not the written word, to the provider', async () => {
    const voiceId = await ownElevenLabsVoice();
    const personality = await personalityWith({ provider: 'elevenlabs', voice_id: voiceId });
    const saved = await call(`${BASE}/${personality}/voice/pronunciations`, {
      method: 'PUT',
      token: tenant.admin,
      json: { entries: [{ grapheme: 'GSC', alias: 'Girl Scout Cookies' }] },
    });

    await generate(personality, { text: 'Try the GSC today.' });

    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, scope: personality });
    const [request] = await synthesisRequests('elevenlabs', voiceId);
    expect(request?.text).toBe('Try the Girl Scout Cookies today.');
  });

  it('applies the tenant-wide lexicon to every personality, the personality’s own entries first', async () => {
    const voiceId = await ownElevenLabsVoice();
    const personality = await personalityWith({ provider: 'elevenlabs', voice_id: voiceId });
    await call('/api/admin/voice/pronunciations', {
      method: 'PUT',
      token: tenant.admin,
      json: {
        entries: [
          { grapheme: 'OG', alias: 'oh gee' },
          { grapheme: 'THCa', alias: 'tee aitch see ay' },
        ],
      },
    });
    await call(`${BASE}/${personality}/voice/pronunciations`, {
      method: 'PUT',
      token: tenant.admin,
      json: { entries: [{ grapheme: 'OG', alias: 'original gangster' }] },
    });

    await generate(personality, { text: 'OG Kush is high in THCa.' });

    const [request] = await synthesisRequests('elevenlabs', voiceId);
    expect(request?.text).toBe('original gangster Kush is high in tee aitch see ay.');
  });
});

describe('every provider speaks playable audio', () => {
  const voices = [
    { provider: 'elevenlabs', voice_id: '21m00Tcm4TlvDq8ikWAM' },
    { provider: 'google', voice_id: 'en-US-Neural2-D' },
    { provider: 'polly', voice_id: 'Joanna' },
    { provider: 'openai', voice_id: 'alloy' },
    { provider: 'local', voice_id: 'en-us+f3' },
  ];
  for (const voice of voices) {
    it(`${voice.provider}: mp3 that parses, longer for a longer text`, async () => {
      const personality = await personalityWith(voice);

      const short = await generate(personality, { text: `Hello from ${voice.provider}.` });
      const long = await generate(personality, {
        text: `Hello from ${voice.provider}. We have flower, edibles and tinctures. Ask me about anything on the menu today.`,
      });

      expect(short.body.provider).toBe(voice.provider);
      const shortAudio = await parseBuffer(
        await download(short.body.audio_url),
        { mimeType: 'audio/mpeg' },
        { duration: true },
      );
      const longAudio = await parseBuffer(
        await download(long.body.audio_url),
        { mimeType: 'audio/mpeg' },
        { duration: true },
      );
      expect(shortAudio.format.duration).toBeGreaterThan(0.3);
      expect(longAudio.format.duration).toBeGreaterThan(shortAudio.format.duration! * 2);
      expect(long.body.audio_seconds).toBeCloseTo(longAudio.format.duration!, 0);
    });
  }

  it('joins sentences into one wav file, and gives raw pcm of the same length', async () => {
    const personality = await personalityWith({ provider: 'google', voice_id: 'en-US-Neural2-D' });
    const text = 'First sentence here. And a second one.';

    const wav = await generate(personality, { text, format: 'wav' });
    const pcm = await generate(personality, { text, format: 'pcm' });

    const parsed = await parseBuffer(await download(wav.body.audio_url), { mimeType: 'audio/wav' });
    expect(parsed.format).toMatchObject({ sampleRate: 24000, numberOfChannels: 1 });
    const pcmBytes = await download(pcm.body.audio_url);
    expect(pcmBytes.length / 2 / 24000).toBeCloseTo(parsed.format.duration!, 1);
  });
});

describe('voice routes refuse bad input', () => {
  it('refuses empty text, text over 5,000 characters, an unknown format and settings out of range', async () => {
    const personality = await personalityWith({ provider: 'elevenlabs', voice_id: '21m00Tcm4TlvDq8ikWAM' });

    const empty = await generate(personality, { text: '   ' });
    const long = await generate(personality, { text: 'a'.repeat(5001) });
    const format = await generate(personality, { text: 'Hi.', format: 'ogg' });
    const zodRange = await generate(personality, { text: 'Hi.', settings: { stability: 1.5 } });
    const providerRange = await generate(personality, { text: 'Hi.', settings: { speed: 1.5 } });
    const notForProvider = await generate(personality, { text: 'Hi.', settings: { pitch: 2 } });
    const onlyEmoji = await generate(personality, { text: '🌿🔥 https://example.com/menu' });

    expect([empty.status, long.status, format.status, zodRange.status]).toEqual([400, 400, 400, 400]);
    expect(empty.body.error.message).toContain('text');
    expect(long.body.error.message).toContain('5000');
    expect(format.body.error.message).toContain('format');
    expect(providerRange.body.error).toMatchObject({ code: 'setting_out_of_range' });
    expect(providerRange.body.error.message).toContain('between 0.7 and 1.2');
    expect(notForProvider.body.error.message).toContain('elevenlabs does not use pitch');
    expect(onlyEmoji.status).toBe(400);
    expect(onlyEmoji.body.error.code).toBe('nothing_to_say');
    expect(await usageRecords(tenant.tenantId)).toEqual([]);
  });

  it('answers 404 for an unknown personality', async () => {
    const response = await generate('nobody-here', { text: 'Hello.' });

    expect(response.status).toBe(404);
  });
});

describe('voice settings, sample and providers', () => {
  it('stores settings within the provider’s ranges and refuses others', async () => {
    const personality = await personalityWith({ provider: 'google', voice_id: 'en-US-Neural2-D' });

    const saved = await call(`${BASE}/${personality}/voice/settings`, {
      method: 'PUT',
      token: tenant.admin,
      json: { settings: { speaking_rate: 1.2, pitch: -2 } },
    });
    const refused = await call(`${BASE}/${personality}/voice/settings`, {
      method: 'PUT',
      token: tenant.admin,
      json: { settings: { stability: 0.4 } },
    });

    expect(saved.status).toBe(200);
    expect(saved.body.voice_config).toMatchObject({
      settings: { speaking_rate: 1.2, pitch: -2 },
      status: 'none',
    });
    expect(saved.body.version).toBe(2);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('google does not use stability');
  });

  it('gives a sample clip in the personality’s voice', async () => {
    const response = await call(`${BASE}/zac/voice/sample`, { token: tenant.admin });

    expect(response.status).toBe(200);
    expect(response.body.provider).toBe('google');
    const audio = await parseBuffer(
      await download(response.body.audio_url),
      { mimeType: 'audio/mpeg' },
      { duration: true },
    );
    expect(audio.format.duration).toBeGreaterThan(1);
  });

  it('lists the configured providers with models, settings and voices in a language', async () => {
    const response = await call('/api/admin/voice/providers?language=en-GB', { token: tenant.admin });

    expect(response.status).toBe(200);
    const names = response.body.providers.map((provider: { name: string }) => provider.name);
    expect(names).toEqual(['elevenlabs', 'google', 'polly', 'openai', 'local']);
    const google = response.body.providers.find((provider: { name: string }) => provider.name === 'google');
    expect(google.voices.length).toBeGreaterThan(0);
    expect(
      google.voices.every((voice: { languages: string[] }) =>
        voice.languages.some((l) => l.startsWith('en-GB')),
      ),
    ).toBe(true);
    expect(google.settings).toHaveProperty('speaking_rate');
    const openai = response.body.providers.find((provider: { name: string }) => provider.name === 'openai');
    expect(openai.models[0].retires_on).toBe('2027-01-06');
  });
});
