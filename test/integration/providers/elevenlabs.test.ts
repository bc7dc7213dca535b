// Contract test: the ElevenLabs adapter drives the real @elevenlabs/elevenlabs-js SDK against the ElevenLabs simulator.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWav } from '../../../functions/audio/wav.ts';
import { createElevenLabsProvider } from '../../../functions/providers/tts/elevenlabs.ts';
import { renderSpeech } from '../../simulators/audio.ts';
import { createElevenLabsSimulator } from '../../simulators/elevenlabs.ts';
import { SimulatorControl, type FaultKind } from '../../simulators/harness.ts';
import { adapterAgainst, audioFormat, collect, durationOf, failure, sentence } from './support.ts';

const RACHEL = '21m00Tcm4TlvDq8ikWAM';
const ADAM = 'pNInz6obpgDQGcFmaJgB';
const simulator = createElevenLabsSimulator();
const { provider, impatient, requestsFor } = adapterAgainst(simulator, (url, timeoutMs) =>
  createElevenLabsProvider({ apiKey: 'xi-test-key', baseUrl: url, timeoutMs }),
);

describe('ElevenLabs speech', () => {
  it('speaks mp3 as mono 24 kHz MP3 (output_format mp3_24000_48)', async () => {
    const text = sentence();
    const result = await provider.synthesize({ text, voiceId: RACHEL, format: 'mp3' });

    const format = await audioFormat(result.audio, 'mp3');
    expect(format.container).toBe('MPEG');
    expect(format.sampleRate).toBe(24_000);
    expect(format.numberOfChannels).toBe(1);
    expect(format.duration).toBeGreaterThan(0.5);
    expect(result).toMatchObject({ format: 'mp3', sampleRate: 24_000, model: 'eleven_multilingual_v2' });
    const [request] = requestsFor(text);
    expect(request?.path).toBe(`/v1/text-to-speech/${RACHEL}`);
    expect(request?.query).toEqual({ output_format: 'mp3_24000_48' });
    expect(request?.headers['xi-api-key']).toBe('xi-test-key');
    expect(request?.body).toEqual({ text, model_id: 'eleven_multilingual_v2' });
  });

  it('builds wav from pcm_24000 with exact header sizes, and pcm is the same samples', async () => {
    const text = sentence();
    const wav = await provider.synthesize({ text, voiceId: RACHEL, format: 'wav' });
    const pcm = await provider.synthesize({ text, voiceId: RACHEL, format: 'pcm' });

    const format = await audioFormat(wav.audio, 'wav');
    expect(format.sampleRate).toBe(24_000);
    expect(format.numberOfChannels).toBe(1);
    expect(format.duration).toBeCloseTo(pcm.audio.length / 2 / 24_000, 3);
    expect(Buffer.from(wav.audio.subarray(44)).equals(Buffer.from(pcm.audio))).toBe(true);
    expect(requestsFor(text).map((request) => request.query.output_format)).toEqual([
      'pcm_24000',
      'pcm_24000',
    ]);
  });

  it('gives a longer text a longer duration', async () => {
    const short = sentence('One small sentence to speak.');
    const long = `${short} ${short} ${short}`;
    const [a, b] = await Promise.all(
      [short, long].map((text) => provider.synthesize({ text, voiceId: RACHEL, format: 'wav' })),
    );
    expect(await durationOf(b!.audio, 'wav')).toBeGreaterThan(2 * (await durationOf(a!.audio, 'wav')));
  });

  it('forwards voice settings in snake_case, the model and the language code', async () => {
    const text = sentence();
    const settings = {
      stability: 0.3,
      similarity_boost: 0.8,
      style: 0.2,
      use_speaker_boost: false,
      speed: 1.1,
    };
    await provider.synthesize({
      text,
      voiceId: ADAM,
      model: 'eleven_flash_v2_5',
      language: 'de-DE',
      settings,
      format: 'mp3',
    });

    expect(requestsFor(text)[0]?.body).toEqual({
      text,
      model_id: 'eleven_flash_v2_5',
      language_code: 'de',
      voice_settings: settings,
    });
  });

  it('streams chunks from /stream whose concatenation is the audio', async () => {
    const text = sentence('Streaming speech arrives in pieces while it is being made, sentence by sentence.');
    const chunks = await collect(provider.stream({ text, voiceId: RACHEL, format: 'mp3' }));

    expect(chunks.length).toBeGreaterThan(1);
    const format = await audioFormat(Buffer.concat(chunks), 'mp3');
    expect(format.sampleRate).toBe(24_000);
    expect(format.duration).toBeGreaterThan(1);
    expect(requestsFor(text)[0]?.path).toBe(`/v1/text-to-speech/${RACHEL}/stream`);
  });

  it('streams wav as a streaming header followed by the same samples synthesize gives', async () => {
    const text = sentence();
    const streamed = parseWav(
      Buffer.concat(await collect(provider.stream({ text, voiceId: RACHEL, format: 'wav' }))),
    );
    const whole = parseWav((await provider.synthesize({ text, voiceId: RACHEL, format: 'wav' })).audio);

    expect(streamed.sampleRate).toBe(24_000);
    expect(Buffer.from(streamed.samples.buffer).equals(Buffer.from(whole.samples.buffer))).toBe(true);
  });
});

describe('ElevenLabs voices', () => {
  it('lists the stock voices with language, gender and origin', async () => {
    const voices = await provider.listVoices();

    expect(voices).toContainEqual({
      id: RACHEL,
      name: 'Rachel',
      languages: ['en-US'],
      gender: 'female',
      custom: false,
    });
    expect(voices.find((voice) => voice.id === ADAM)?.gender).toBe('male');
  });

  it('filters by language', async () => {
    const british = await provider.listVoices({ language: 'en-GB' });
    const swedish = await provider.listVoices({ language: 'sv' });

    expect(british.map((voice) => voice.name)).toContain('George');
    expect(british.map((voice) => voice.id)).not.toContain(RACHEL);
    expect(swedish.map((voice) => voice.name)).toEqual(['Charlotte']);
  });

  it('pages through /v2/voices past 100 voices', async () => {
    const control = new SimulatorControl(simulator.url);
    const prefix = randomUUID().slice(0, 8);
    for (let i = 0; i < 101; i++)
      await control.addVoice({ id: `${prefix}${i}`, name: `Extra ${i}`, languages: ['fr-FR'] });
    const before = simulator.requests.length;

    const french = await provider.listVoices({ language: 'fr' });

    expect(french.filter((voice) => voice.id.startsWith(prefix))).toHaveLength(101);
    const pages = simulator.requests.slice(before).filter((request) => request.path === '/v2/voices');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages[0]?.query.page_size).toBe('100');
  });
});

describe('ElevenLabs instant voice cloning', () => {
  it('creates a voice from two WAV samples, reports it ready, deletes it idempotently', async () => {
    const cloning = provider.cloning!;
    const samples = await Promise.all(
      ['First sample of my voice.', 'Second sample of my voice.'].map(async (text, index) => ({
        fileName: `sample-${index + 1}.wav`,
        contentType: 'audio/wav',
        bytes: await renderSpeech(text, { format: 'wav', sampleRate: 24_000 }),
      })),
    );

    const created = await cloning.createVoice({
      name: 'Marcel',
      description: 'A warm narrator',
      samples,
      labels: { language: 'en', accent: 'french' },
    });

    expect(created.status).toBe('ready');
    const upload = simulator.requests.find(
      (request) => request.path === '/v1/voices/add' && (request.body as any).fields?.name === 'Marcel',
    );
    expect((upload?.body as any).fields).toEqual({
      name: 'Marcel',
      remove_background_noise: 'false',
      description: 'A warm narrator',
      labels: JSON.stringify({ language: 'en', accent: 'french' }),
    });
    expect((upload?.body as any).files.map((file: any) => [file.field, file.fileName])).toEqual([
      ['files', 'sample-1.wav'],
      ['files', 'sample-2.wav'],
    ]);
    const listed = (await provider.listVoices()).find((voice) => voice.id === created.voiceId);
    expect(listed).toMatchObject({ name: 'Marcel', custom: true, languages: ['en'] });
    expect(await cloning.voiceStatus(created.voiceId)).toBe('ready');

    await cloning.deleteVoice(created.voiceId);
    expect(await cloning.voiceStatus(created.voiceId)).toBe('missing');
    await expect(cloning.deleteVoice(created.voiceId)).resolves.toBeUndefined();
  });
});

describe('ElevenLabs failures', () => {
  const faults: Array<[FaultKind, string, number]> = [
    ['server_error', 'retryable', 500],
    ['rate_limited', 'rate_limited', 429],
    ['quota_exceeded', 'quota_exceeded', 401],
    ['auth', 'auth', 401],
  ];

  it.each(faults)('%s → %s, after exactly one request', async (kind, expected, status) => {
    const text = sentence();
    simulator.addFault({ kind, voice: ADAM, times: 1 });

    const error = await failure(provider.synthesize({ text, voiceId: ADAM, format: 'mp3' }));

    expect(error.kind).toBe(expected);
    expect(error.details.status).toBe(status);
    expect(requestsFor(text)).toHaveLength(1);
  });

  it('quota_exceeded is not retryable, rate limits and server errors are', async () => {
    simulator.addFault({ kind: 'quota_exceeded', voice: ADAM, times: 1 });
    const quota = await failure(provider.synthesize({ text: sentence(), voiceId: ADAM, format: 'mp3' }));
    simulator.addFault({ kind: 'rate_limited', voice: ADAM, times: 1 });
    const limited = await failure(provider.synthesize({ text: sentence(), voiceId: ADAM, format: 'mp3' }));

    expect(quota.retryable).toBe(false);
    expect(quota.details.providerCode).toBe('quota_exceeded');
    expect(limited.retryable).toBe(true);
    expect(limited.details.providerCode).toBe('too_many_concurrent_requests');
  });

  it('a provider that does not answer within timeoutMs (500 ms) → timeout, in about a second', async () => {
    const text = sentence();
    simulator.addFault({ kind: 'timeout', voice: ADAM, times: 1, delayMs: 3000 });
    const started = Date.now();

    const error = await failure(impatient.synthesize({ text, voiceId: ADAM, format: 'mp3' }));

    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(requestsFor(text)).toHaveLength(1);
  });

  it('a call the caller aborts ends at once, as a timeout', async () => {
    simulator.addFault({ kind: 'slow_first_byte', voice: ADAM, times: 1, delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();

    const error = await failure(
      provider.synthesize({ text: sentence(), voiceId: ADAM, format: 'mp3', signal: controller.signal }),
    );

    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a stream cut off mid-way → retryable', async () => {
    const text = sentence('A long enough sentence to be cut off half way through its audio stream.');
    simulator.addFault({ kind: 'broken_stream', voice: ADAM, times: 1 });

    const error = await failure(collect(provider.stream({ text, voiceId: ADAM, format: 'mp3' })));

    expect(error.kind).toBe('retryable');
    expect(requestsFor(text)).toHaveLength(1);
  });

  it('an unknown voice → voice_not_found (404 voice_not_found)', async () => {
    const error = await failure(
      provider.synthesize({ text: sentence(), voiceId: 'NoSuchVoice000000000', format: 'mp3' }),
    );

    expect(error).toMatchObject({
      kind: 'voice_not_found',
      details: { status: 404, providerCode: 'voice_not_found' },
    });
  });

  it('text over the model limit → invalid_request (400 max_character_limit_exceeded)', async () => {
    const text = 'a'.repeat(10_001);
    const error = await failure(provider.synthesize({ text, voiceId: RACHEL, format: 'mp3' }));

    expect(error).toMatchObject({
      kind: 'invalid_request',
      details: { status: 400, providerCode: 'max_character_limit_exceeded' },
    });
    expect(requestsFor(text)).toHaveLength(1);
  });

  it('a setting out of range → invalid_request (422)', async () => {
    const error = await failure(
      provider.synthesize({ text: sentence(), voiceId: RACHEL, format: 'mp3', settings: { speed: 2 } }),
    );

    expect(error).toMatchObject({ kind: 'invalid_request', details: { status: 422 } });
  });

  it('an unknown model → voice_not_found, as the port files unknown models', async () => {
    const error = await failure(
      provider.synthesize({ text: sentence(), voiceId: RACHEL, model: 'eleven_nope', format: 'mp3' }),
    );

    expect(error).toMatchObject({
      kind: 'voice_not_found',
      details: { status: 400, providerCode: 'model_not_found' },
    });
  });

  it('a missing key is refused as auth (401 invalid_api_key)', async () => {
    const keyless = createElevenLabsProvider({ apiKey: '', baseUrl: simulator.url, timeoutMs: 500 });

    const error = await failure(keyless.synthesize({ text: sentence(), voiceId: RACHEL, format: 'mp3' }));

    expect(error).toMatchObject({ kind: 'auth', details: { status: 401, providerCode: 'invalid_api_key' } });
  });
});
