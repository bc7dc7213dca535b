// Contract test: the OpenAI speech adapter drives the real `openai` SDK against the OpenAI simulator.
import { describe, expect, it } from 'vitest';
import { parseWav } from '../../../functions/audio/wav.ts';
import { createOpenAiTtsProvider } from '../../../functions/providers/tts/openai.ts';
import type { FaultKind } from '../../simulators/harness.ts';
import { createOpenAiSimulator } from '../../simulators/openai.ts';
import { adapterAgainst, audioFormat, collect, durationOf, failure, sentence } from './support.ts';

const simulator = createOpenAiSimulator();
const { provider, impatient, requestsFor } = adapterAgainst(simulator, (url, timeoutMs) =>
  createOpenAiTtsProvider({ apiKey: 'sk-test', baseUrl: `${url}/v1`, timeoutMs }),
);

describe('OpenAI speech', () => {
  it('offers three models, all marked for retirement on 2027-01-06, tts-1 by default', () => {
    expect(provider.defaultModel).toBe('tts-1');
    expect(provider.models.map((model) => [model.id, model.maxInput, model.retiresOn])).toEqual([
      ['tts-1', 4096, '2027-01-06'],
      ['tts-1-hd', 4096, '2027-01-06'],
      ['gpt-4o-mini-tts', 4096, '2027-01-06'],
    ]);
  });

  it('speaks mp3 as mono 24 kHz MP3', async () => {
    const text = sentence();
    const result = await provider.synthesize({ text, voiceId: 'alloy', format: 'mp3' });

    const format = await audioFormat(result.audio, 'mp3');
    expect(format.sampleRate).toBe(24_000);
    expect(format.numberOfChannels).toBe(1);
    expect(format.duration).toBeGreaterThan(0.5);
    expect(result).toMatchObject({ format: 'mp3', sampleRate: 24_000, model: 'tts-1' });
    const [request] = requestsFor(text);
    expect(request?.path).toBe('/v1/audio/speech');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.body).toEqual({ model: 'tts-1', voice: 'alloy', input: text, response_format: 'mp3' });
  });

  it('builds wav from pcm with exact header sizes, and pcm is the same samples', async () => {
    const text = sentence();
    const wav = await provider.synthesize({ text, voiceId: 'nova', format: 'wav' });
    const pcm = await provider.synthesize({ text, voiceId: 'nova', format: 'pcm' });

    const format = await audioFormat(wav.audio, 'wav');
    expect(format.sampleRate).toBe(24_000);
    expect(format.numberOfChannels).toBe(1);
    expect(format.duration).toBeCloseTo(pcm.audio.length / 2 / 24_000, 3);
    expect(Buffer.from(wav.audio.subarray(44)).equals(Buffer.from(pcm.audio))).toBe(true);
    expect(requestsFor(text).map((request) => (request.body as any).response_format)).toEqual(['pcm', 'pcm']);
  });

  it('gives a longer text a longer duration', async () => {
    const short = sentence('One small sentence to speak.');
    const long = `${short} ${short} ${short}`;
    const [a, b] = await Promise.all(
      [short, long].map((text) => provider.synthesize({ text, voiceId: 'onyx', format: 'wav' })),
    );
    expect(await durationOf(b!.audio, 'wav')).toBeGreaterThan(2 * (await durationOf(a!.audio, 'wav')));
  });

  it('forwards the model and speed; other providers’ settings are not sent', async () => {
    const text = sentence();
    await provider.synthesize({
      text,
      voiceId: 'ballad',
      model: 'gpt-4o-mini-tts',
      settings: { speed: 1.5, stability: 0.2 },
      format: 'mp3',
    });

    expect(requestsFor(text)[0]?.body).toEqual({
      model: 'gpt-4o-mini-tts',
      voice: 'ballad',
      input: text,
      response_format: 'mp3',
      speed: 1.5,
    });
  });

  it('streams chunks whose concatenation is the audio', async () => {
    const text = sentence('Streaming speech arrives in pieces while it is being made, sentence by sentence.');
    const chunks = await collect(provider.stream({ text, voiceId: 'echo', format: 'mp3' }));

    expect(chunks.length).toBeGreaterThan(1);
    const format = await audioFormat(Buffer.concat(chunks), 'mp3');
    expect(format.sampleRate).toBe(24_000);
    expect(format.duration).toBeGreaterThan(1);
  });

  it('streams wav as a streaming header followed by the same samples synthesize gives', async () => {
    const text = sentence();
    const streamed = parseWav(
      Buffer.concat(await collect(provider.stream({ text, voiceId: 'sage', format: 'wav' }))),
    );
    const whole = parseWav((await provider.synthesize({ text, voiceId: 'sage', format: 'wav' })).audio);

    expect(streamed.sampleRate).toBe(24_000);
    expect(Buffer.from(streamed.samples.buffer).equals(Buffer.from(whole.samples.buffer))).toBe(true);
  });
});

describe('OpenAI voices', () => {
  it('lists the documented voices without calling the API', async () => {
    const before = simulator.requests.length;
    const voices = await provider.listVoices();

    expect(voices.map((voice) => voice.id)).toEqual(
      expect.arrayContaining([
        'alloy',
        'ash',
        'ballad',
        'coral',
        'echo',
        'fable',
        'nova',
        'onyx',
        'sage',
        'shimmer',
        'verse',
      ]),
    );
    expect(voices.find((voice) => voice.id === 'verse')?.models).toEqual(['gpt-4o-mini-tts']);
    expect(voices.find((voice) => voice.id === 'alloy')?.languages).toEqual(['en-US']);
    expect(simulator.requests.length).toBe(before);
  });

  it('filters by language', async () => {
    expect(await provider.listVoices({ language: 'en-GB' })).not.toHaveLength(0);
    expect(await provider.listVoices({ language: 'de' })).toEqual([]);
  });
});

describe('OpenAI failures', () => {
  const faults: Array<[FaultKind, string, number, string | undefined]> = [
    ['server_error', 'retryable', 500, 'server_error'],
    ['rate_limited', 'rate_limited', 429, 'rate_limit_exceeded'],
    ['quota_exceeded', 'quota_exceeded', 429, 'insufficient_quota'],
    ['auth', 'auth', 401, 'invalid_api_key'],
  ];

  it.each(faults)('%s → %s, after exactly one request', async (kind, expected, status, code) => {
    const text = sentence();
    simulator.addFault({ kind, voice: 'fable', times: 1 });

    const error = await failure(provider.synthesize({ text, voiceId: 'fable', format: 'mp3' }));

    expect(error).toMatchObject({ kind: expected, details: { status, providerCode: code } });
    expect(requestsFor(text)).toHaveLength(1);
  });

  it('a spent quota is not retryable though it arrives as 429; a rate limit is', async () => {
    simulator.addFault({ kind: 'quota_exceeded', voice: 'fable', times: 1 });
    const quota = await failure(provider.synthesize({ text: sentence(), voiceId: 'fable', format: 'mp3' }));
    simulator.addFault({ kind: 'rate_limited', voice: 'fable', times: 1 });
    const limited = await failure(provider.synthesize({ text: sentence(), voiceId: 'fable', format: 'mp3' }));

    expect(quota.retryable).toBe(false);
    expect(limited.retryable).toBe(true);
  });

  it('a provider that does not answer within timeoutMs (500 ms) → timeout, in about a second', async () => {
    const text = sentence();
    simulator.addFault({ kind: 'timeout', voice: 'fable', times: 1, delayMs: 3000 });
    const started = Date.now();

    const error = await failure(impatient.synthesize({ text, voiceId: 'fable', format: 'mp3' }));

    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(requestsFor(text)).toHaveLength(1);
  });

  it('a call the caller aborts ends at once, as a timeout', async () => {
    simulator.addFault({ kind: 'slow_first_byte', voice: 'fable', times: 1, delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();

    const error = await failure(
      provider.synthesize({ text: sentence(), voiceId: 'fable', format: 'mp3', signal: controller.signal }),
    );

    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a stream cut off mid-way → retryable', async () => {
    const text = sentence('A long enough sentence to be cut off half way through its audio stream.');
    simulator.addFault({ kind: 'broken_stream', voice: 'fable', times: 1 });

    const error = await failure(collect(provider.stream({ text, voiceId: 'fable', format: 'mp3' })));

    expect(error.kind).toBe('retryable');
    expect(requestsFor(text)).toHaveLength(1);
  });

  it('an unknown voice, or one its model lacks → voice_not_found (400 param voice)', async () => {
    const unknown = await failure(
      provider.synthesize({ text: sentence(), voiceId: 'nobody', format: 'mp3' }),
    );
    const wrongModel = await failure(
      provider.synthesize({ text: sentence(), voiceId: 'marin', model: 'tts-1', format: 'mp3' }),
    );

    expect(unknown).toMatchObject({
      kind: 'voice_not_found',
      details: { status: 400, providerCode: 'invalid_value' },
    });
    expect(wrongModel.kind).toBe('voice_not_found');
  });

  it('an unknown model → voice_not_found (404 model_not_found)', async () => {
    const error = await failure(
      provider.synthesize({ text: sentence(), voiceId: 'alloy', model: 'tts-2', format: 'mp3' }),
    );

    expect(error).toMatchObject({
      kind: 'voice_not_found',
      details: { status: 404, providerCode: 'model_not_found' },
    });
  });

  it('text over 4,096 characters → invalid_request (400)', async () => {
    const text = 'a'.repeat(4097);
    const error = await failure(provider.synthesize({ text, voiceId: 'alloy', format: 'mp3' }));

    expect(error).toMatchObject({ kind: 'invalid_request', details: { status: 400 } });
    expect(requestsFor(text)).toHaveLength(1);
  });

  it('a speed out of range → invalid_request (400 param speed)', async () => {
    const error = await failure(
      provider.synthesize({ text: sentence(), voiceId: 'alloy', format: 'mp3', settings: { speed: 5 } }),
    );

    expect(error).toMatchObject({ kind: 'invalid_request', details: { status: 400 } });
  });

  it('a missing key is refused as auth (401)', async () => {
    const keyless = createOpenAiTtsProvider({ apiKey: ' ', baseUrl: `${simulator.url}/v1`, timeoutMs: 500 });

    const error = await failure(keyless.synthesize({ text: sentence(), voiceId: 'alloy', format: 'mp3' }));

    expect(error).toMatchObject({ kind: 'auth', details: { status: 401 } });
  });
});
