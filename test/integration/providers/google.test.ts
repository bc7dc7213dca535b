// Contract test: the Google adapter drives the real @google-cloud/text-to-speech client (REST mode) against the
// Google simulator.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWav } from '../../../functions/audio/wav.ts';
import { createGoogleTtsProvider } from '../../../functions/providers/tts/google.ts';
import type { TtsProviderError } from '../../../functions/providers/tts/port.ts';
import { createGoogleSimulator, readSsml } from '../../simulators/google.ts';
import type { FaultKind } from '../../simulators/harness.ts';
import { adapterAgainst, audioFormat, collect, durationOf, failure, sentence } from './support.ts';

const VOICE = 'en-US-Neural2-D';
const TOKEN = 'ya29.simulator-token';
const simulator = createGoogleSimulator();
const { provider, impatient, requestsFor, bodyOf } = adapterAgainst(simulator, (url, timeoutMs) =>
  createGoogleTtsProvider({ endpoint: url, accessToken: TOKEN, timeoutMs }),
);

describe('Google speech', () => {
  it('treats voice families as models, neural2 by default, limited in bytes', () => {
    expect(provider.defaultModel).toBe('neural2');
    expect(provider.models.map((model) => [model.id, model.maxInput, model.limitUnit])).toEqual([
      ['neural2', 5000, 'bytes'],
      ['wavenet', 5000, 'bytes'],
      ['standard', 5000, 'bytes'],
      ['chirp3-hd', 5000, 'bytes'],
    ]);
    expect(provider.supportsPhonemes).toBe(true);
    expect(provider.cloning).toBeUndefined();
  });

  it('speaks mp3 as mono 24 kHz MP3, asking for MP3 at 24000 Hz over REST with the bearer token', async () => {
    const text = sentence();
    const result = await provider.synthesize({ text, voiceId: VOICE, format: 'mp3' });

    const format = await audioFormat(result.audio, 'mp3');
    expect(format.container).toBe('MPEG');
    expect(format.sampleRate).toBe(24_000);
    expect(format.numberOfChannels).toBe(1);
    expect(format.duration).toBeGreaterThan(0.5);
    expect(result).toMatchObject({ format: 'mp3', sampleRate: 24_000, model: 'neural2' });
    const [request] = requestsFor(text);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/text:synthesize');
    expect(request?.query.$alt).toBe('json;enum-encoding=int');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.body).toEqual({
      input: { text },
      voice: { name: VOICE, languageCode: 'en-US' },
      audioConfig: { audioEncoding: 2, sampleRateHertz: 24_000 },
    });
  });

  it('speaks wav as a mono 24 kHz WAV file from LINEAR16', async () => {
    const text = sentence();
    const result = await provider.synthesize({ text, voiceId: VOICE, format: 'wav' });

    const format = await audioFormat(result.audio, 'wav');
    expect(format.sampleRate).toBe(24_000);
    expect(format.numberOfChannels).toBe(1);
    expect(format.bitsPerSample).toBe(16);
    expect(format.duration).toBeGreaterThan(0.5);
    expect(bodyOf(text).audioConfig).toEqual({ audioEncoding: 1, sampleRateHertz: 24_000 });
  });

  it('speaks pcm as the WAV samples without their header', async () => {
    const text = sentence();
    const wav = await provider.synthesize({ text, voiceId: VOICE, format: 'wav' });
    const pcm = await provider.synthesize({ text, voiceId: VOICE, format: 'pcm' });

    expect(pcm).toMatchObject({ format: 'pcm', sampleRate: 24_000 });
    expect(new TextDecoder().decode(pcm.audio.subarray(0, 4))).not.toBe('RIFF');
    expect(pcm.audio.byteLength % 2).toBe(0);
    const samples = parseWav(wav.audio).samples;
    expect(pcm.audio.byteLength).toBe(samples.length * 2);
    expect(pcm.audio.byteLength / 2 / 24_000).toBeGreaterThan(0.5);
    expect(requestsFor(text).map((request) => (request.body as any).audioConfig.audioEncoding)).toEqual([
      1, 1,
    ]);
  });

  it('takes longer to say a text three times as long', async () => {
    // No random marker here: spoken aloud, it would be most of the short sentence.
    const short = 'A short sentence about the weather.';
    const long = Array(3).fill(short).join(' ');
    const [one, three] = await Promise.all([
      provider
        .synthesize({ text: short, voiceId: VOICE, format: 'mp3' })
        .then((result) => durationOf(result.audio, 'mp3')),
      provider
        .synthesize({ text: long, voiceId: VOICE, format: 'mp3' })
        .then((result) => durationOf(result.audio, 'mp3')),
    ]);
    expect(three).toBeGreaterThan(one * 2);
  });

  it('sends speaking rate and pitch in audioConfig, and no pitch to a Chirp 3 HD voice', async () => {
    const text = sentence();
    await provider.synthesize({
      text,
      voiceId: VOICE,
      format: 'mp3',
      settings: { speaking_rate: 1.5, pitch: -4 },
    });
    expect(bodyOf(text).audioConfig).toMatchObject({ speakingRate: 1.5, pitch: -4 });

    const chirpText = sentence();
    const chirp = await provider.synthesize({
      text: chirpText,
      voiceId: 'en-US-Chirp3-HD-Kore',
      format: 'mp3',
      settings: { speaking_rate: 1.2, pitch: 6 },
    });
    expect(chirp.model).toBe('chirp3-hd');
    expect(bodyOf(chirpText).audioConfig).toEqual({
      audioEncoding: 2,
      sampleRateHertz: 24_000,
      speakingRate: 1.2,
    });
  });

  it('builds well-formed SSML with escaped text and a phoneme around the right word', async () => {
    const text = `Tom & Jerry <3 "cheese" at Nguyen's; nguyenville and US politics ${randomUUID().slice(0, 8)}`;
    const result = await provider.synthesize({
      text,
      voiceId: VOICE,
      format: 'mp3',
      phonemes: [
        // X-SAMPA marks stress with a double quote, which must be escaped inside the attribute.
        { grapheme: 'nguyen', phoneme: '"wIn', alphabet: 'x-sampa' },
        { grapheme: 'US', phoneme: 'ˌjuːˈɛs', alphabet: 'ipa', case_sensitive: true },
        { grapheme: 'politics', alias: 'policies' },
      ],
    });

    expect(result.audio.byteLength).toBeGreaterThan(0);
    const [request] = requestsFor(text);
    const ssml = (request?.body as any).input.ssml as string;
    expect((request?.body as any).input.text).toBeUndefined();
    expect(ssml).toContain('Tom &amp; Jerry &lt;3 &quot;cheese&quot;');
    const reading = readSsml(ssml);
    if (!reading.ok) throw new Error(reading.reason);
    expect(reading.text).toBe(text);
    const phonemes = reading.elements.filter((element) => element.name === 'phoneme');
    expect(phonemes).toEqual([
      { name: 'phoneme', attributes: { alphabet: 'x-sampa', ph: '"wIn' }, text: 'Nguyen' },
      { name: 'phoneme', attributes: { alphabet: 'ipa', ph: 'ˌjuːˈɛs' }, text: 'US' },
    ]);
  });

  it('sends plain text when there are no phonemes', async () => {
    const text = sentence('Fish & chips <b>tonight</b>.');
    await provider.synthesize({ text, voiceId: VOICE, format: 'mp3', phonemes: [] });
    expect(bodyOf(text).input).toEqual({ text });
  });

  it('streams the same audio it synthesises', async () => {
    const text = sentence();
    const chunks = await collect(provider.stream({ text, voiceId: VOICE, format: 'mp3' }));
    expect(chunks.length).toBeGreaterThan(0);
    expect(await durationOf(Buffer.concat(chunks), 'mp3')).toBeGreaterThan(0.5);
  });
});

describe('Google voices', () => {
  it('lists the voices of one language with gender and model', async () => {
    const voices = await provider.listVoices({ language: 'en-GB' });

    expect(voices.length).toBeGreaterThan(0);
    expect(voices.every((voice) => voice.languages.includes('en-GB'))).toBe(true);
    expect(voices).toContainEqual({
      id: 'en-GB-Neural2-A',
      name: 'en-GB-Neural2-A',
      languages: ['en-GB'],
      gender: 'female',
      models: ['neural2'],
    });
    const last = simulator.requests.at(-1);
    expect(last?.path).toBe('/v1/voices');
    expect(last?.query.languageCode).toBe('en-GB');
  });

  it('lists every variant of a bare language, including the voices the platform relies on', async () => {
    const voices = await provider.listVoices({ language: 'en' });
    const ids = voices.map((voice) => voice.id);
    expect(ids).toEqual(
      expect.arrayContaining(['en-US-Neural2-D', 'en-US-Neural2-F', 'en-US-Neural2-J', 'en-GB-Neural2-B']),
    );
    expect(ids.some((id) => id.startsWith('fr-'))).toBe(false);
    expect(voices.find((voice) => voice.id === 'en-US-Chirp3-HD-Charon')).toMatchObject({
      gender: 'male',
      models: ['chirp3-hd'],
    });
  });
});

describe('Google failures', () => {
  const expectations: Array<[FaultKind, TtsProviderError['kind'], number]> = [
    ['server_error', 'retryable', 503],
    ['rate_limited', 'rate_limited', 429],
    ['quota_exceeded', 'quota_exceeded', 429],
    ['auth', 'auth', 401],
  ];

  it.each(expectations)('answers a %s fault as %s after exactly one request', async (fault, kind, status) => {
    const text = sentence();
    simulator.addFault({ kind: fault });

    const error = await failure(provider.synthesize({ text, voiceId: VOICE, format: 'mp3' }));

    expect(error.kind).toBe(kind);
    expect(error.provider).toBe('google');
    expect(error.details.status).toBe(status);
    expect(requestsFor(text)).toHaveLength(1);
  });

  it('reports an unknown voice as voice_not_found', async () => {
    const text = sentence();
    const error = await failure(provider.synthesize({ text, voiceId: 'en-US-Neural2-Z', format: 'mp3' }));
    expect(error.kind).toBe('voice_not_found');
    expect(error.message).toContain("Voice 'en-US-Neural2-Z' does not exist");
    expect(requestsFor(text)).toHaveLength(1);
  });

  it('refuses input over 5,000 bytes before calling Google, counting bytes and the SSML it builds', async () => {
    const before = simulator.requests.length;
    // 2,600 characters but 5,200 bytes.
    const accented = await failure(
      provider.synthesize({ text: 'é'.repeat(2600), voiceId: VOICE, format: 'mp3' }),
    );
    expect(accented.kind).toBe('invalid_request');
    // Fits as text, not once escaped into SSML.
    const escaped = await failure(
      provider.synthesize({
        text: '&'.repeat(4900),
        voiceId: VOICE,
        format: 'mp3',
        phonemes: [{ grapheme: 'x', phoneme: 'ɛks' }],
      }),
    );
    expect(escaped.kind).toBe('invalid_request');
    expect(escaped.message).toMatch(/as SSML/);
    expect(simulator.requests.length).toBe(before);
  });

  it('answers a request too long for the simulator itself with INVALID_ARGUMENT', async () => {
    const response = await fetch(`${simulator.url}/v1/text:synthesize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        input: { text: 'a'.repeat(5001) },
        voice: { name: VOICE, languageCode: 'en-US' },
        audioConfig: { audioEncoding: 'MP3' },
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    const error = await failure(
      createGoogleTtsProvider({ endpoint: simulator.url, accessToken: TOKEN }).synthesize({
        text: sentence(),
        voiceId: 'en-US-Chirp3-HD-Kore',
        format: 'mp3',
        settings: { speaking_rate: 0.1 },
      }),
    );
    expect(error.kind).toBe('invalid_request');
  });

  it('checks the bearer token and the SSML itself', async () => {
    const anonymous = await fetch(`${simulator.url}/v1/voices`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).error.status).toBe('UNAUTHENTICATED');

    for (const ssml of ['<speak>Tom & Jerry</speak>', '<speak><prosody rate="fast">Hi</speak>', 'Hi']) {
      const response = await fetch(`${simulator.url}/v1/text:synthesize`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          input: { ssml },
          voice: { name: VOICE, languageCode: 'en-US' },
          audioConfig: { audioEncoding: 2 },
        }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error.message).toMatch(/^Invalid SSML/);
    }
  });

  it('gives up after timeoutMs when Google does not answer', async () => {
    const text = sentence();
    simulator.addFault({ kind: 'timeout', delayMs: 5000 });
    const started = Date.now();

    const error = await failure(impatient.synthesize({ text, voiceId: VOICE, format: 'mp3' }));

    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(requestsFor(text)).toHaveLength(1);
  });
});
