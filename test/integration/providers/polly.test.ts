// Contract test: the Polly adapter drives the real @aws-sdk/client-polly against the Polly simulator.
import { randomUUID } from 'node:crypto';
import { PollyClient, SynthesizeSpeechCommand } from '@aws-sdk/client-polly';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { parseWav } from '../../../functions/audio/wav.ts';
import { createPollyProvider } from '../../../functions/providers/tts/polly.ts';
import type { TtsProviderError } from '../../../functions/providers/tts/port.ts';
import { readSsml } from '../../simulators/google.ts';
import type { FaultKind } from '../../simulators/harness.ts';
import { createPollySimulator } from '../../simulators/polly.ts';
import { adapterAgainst, audioFormat, collect, durationOf, failure, sentence } from './support.ts';

const CREDENTIALS = { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'simulator-secret' };
const simulator = createPollySimulator();
const { provider, impatient, requestsFor, bodyOf } = adapterAgainst(simulator, (url, timeoutMs) =>
  createPollyProvider({ region: 'us-east-1', endpoint: url, credentials: CREDENTIALS, timeoutMs }),
);

describe('Polly speech', () => {
  it('treats engines as models, neural by default, 3,000 billed characters a request', () => {
    expect(provider.defaultModel).toBe('neural');
    expect(provider.models.map((model) => [model.id, model.maxInput, model.limitUnit])).toEqual([
      ['neural', 3000, 'characters'],
      ['generative', 3000, 'characters'],
      ['standard', 3000, 'characters'],
      ['long-form', 3000, 'characters'],
    ]);
    expect(provider.supportsPhonemes).toBe(true);
    expect(provider.cloning).toBeUndefined();
  });

  it('speaks mp3 as mono 24 kHz MP3, signed for polly, with the neural engine', async () => {
    const text = sentence();
    const result = await provider.synthesize({ text, voiceId: 'Joanna', format: 'mp3' });

    const format = await audioFormat(result.audio, 'mp3');
    expect(format.container).toBe('MPEG');
    expect(format.sampleRate).toBe(24_000);
    expect(format.numberOfChannels).toBe(1);
    expect(format.duration).toBeGreaterThan(0.5);
    expect(result).toMatchObject({ format: 'mp3', sampleRate: 24_000, model: 'neural' });
    const [request] = requestsFor(text);
    expect(request?.path).toBe('/v1/speech');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR\/\d{8}\/us-east-1\/polly\/aws4_request/,
    );
    expect(request?.headers['amz-sdk-request']).toBe('attempt=1; max=1');
    expect(request?.body).toEqual({
      Engine: 'neural',
      OutputFormat: 'mp3',
      SampleRate: '24000',
      Text: text,
      TextType: 'text',
      VoiceId: 'Joanna',
    });
  });

  it('speaks wav as a mono 24 kHz WAV file made from 16 kHz pcm', async () => {
    const text = sentence();
    const result = await provider.synthesize({ text, voiceId: 'Matthew', format: 'wav' });

    const format = await audioFormat(result.audio, 'wav');
    expect(format.sampleRate).toBe(24_000);
    expect(format.numberOfChannels).toBe(1);
    expect(format.bitsPerSample).toBe(16);
    expect(format.duration).toBeGreaterThan(0.5);
    expect(bodyOf(text)).toMatchObject({ OutputFormat: 'pcm', SampleRate: '16000' });
  });

  it('speaks pcm resampled to 24 kHz, as long as the same sentence in wav', async () => {
    const text = sentence();
    const pcm = await provider.synthesize({ text, voiceId: 'Matthew', format: 'pcm' });
    const wav = await provider.synthesize({ text, voiceId: 'Matthew', format: 'wav' });

    expect(pcm).toMatchObject({ format: 'pcm', sampleRate: 24_000 });
    expect(pcm.audio.byteLength % 2).toBe(0);
    expect(pcm.audio.byteLength / 2 / 24_000).toBeGreaterThan(0.5);
    expect(pcm.audio.byteLength).toBe(parseWav(wav.audio).samples.length * 2);
  });

  it('takes longer to say a text three times as long', async () => {
    // No random marker here: spoken aloud, it would be most of the short sentence.
    const short = 'A short sentence about the weather.';
    const long = Array(3).fill(short).join(' ');
    const [one, three] = await Promise.all([
      provider
        .synthesize({ text: short, voiceId: 'Ruth', format: 'mp3' })
        .then((result) => durationOf(result.audio, 'mp3')),
      provider
        .synthesize({ text: long, voiceId: 'Ruth', format: 'mp3' })
        .then((result) => durationOf(result.audio, 'mp3')),
    ]);
    expect(three).toBeGreaterThan(one * 2);
  });

  it('puts the speaking rate in SSML prosody, and pitch only for the standard engine', async () => {
    const neural = sentence();
    await provider.synthesize({
      text: neural,
      voiceId: 'Joanna',
      format: 'mp3',
      settings: { speaking_rate: 1.25, pitch: 5 },
    });
    expect(bodyOf(neural)).toMatchObject({ TextType: 'ssml', Engine: 'neural' });
    expect(bodyOf(neural).Text).toBe(`<speak><prosody rate="125%">${neural}</prosody></speak>`);

    const standard = sentence();
    const result = await provider.synthesize({
      text: standard,
      voiceId: 'Joanna',
      model: 'standard',
      format: 'mp3',
      settings: { speaking_rate: 0.8, pitch: -5 },
    });
    expect(result.model).toBe('standard');
    expect(bodyOf(standard)).toMatchObject({ Engine: 'standard', TextType: 'ssml' });
    expect(bodyOf(standard).Text).toBe(
      `<speak><prosody rate="80%" pitch="-5%">${standard}</prosody></speak>`,
    );
  });

  it('builds well-formed SSML with escaped text and a phoneme around the right word', async () => {
    const text = `Tom & Jerry <3 "cheese" at Nguyen's; nguyenville and US politics ${randomUUID().slice(0, 8)}`;
    await provider.synthesize({
      text,
      voiceId: 'Matthew',
      format: 'mp3',
      phonemes: [
        { grapheme: 'nguyen', phoneme: '"wIn', alphabet: 'x-sampa' },
        { grapheme: 'US', phoneme: 'ˌjuːˈɛs', alphabet: 'ipa', case_sensitive: true },
      ],
    });

    const body = bodyOf(text);
    expect(body.TextType).toBe('ssml');
    expect(body.Text).toContain('Tom &amp; Jerry &lt;3 &quot;cheese&quot;');
    const reading = readSsml(body.Text);
    if (!reading.ok) throw new Error(reading.reason);
    expect(reading.text).toBe(text);
    expect(reading.elements.filter((element) => element.name === 'phoneme')).toEqual([
      { name: 'phoneme', attributes: { alphabet: 'x-sampa', ph: '"wIn' }, text: 'Nguyen' },
      { name: 'phoneme', attributes: { alphabet: 'ipa', ph: 'ˌjuːˈɛs' }, text: 'US' },
    ]);
  });

  it('sends plain text when there are no phonemes and no prosody', async () => {
    const text = sentence('Fish & chips <b>tonight</b>.');
    await provider.synthesize({
      text,
      voiceId: 'Matthew',
      format: 'mp3',
      phonemes: [],
      settings: { speaking_rate: 1 },
    });
    expect(bodyOf(text)).toMatchObject({ Text: text, TextType: 'text' });
  });

  it('streams mp3 in the chunks Polly sends', async () => {
    const text = sentence();
    const chunks = await collect(provider.stream({ text, voiceId: 'Joanna', format: 'mp3' }));
    expect(chunks.length).toBeGreaterThan(0);
    expect(await durationOf(Buffer.concat(chunks), 'mp3')).toBeGreaterThan(0.5);
  });
});

describe('Polly voices', () => {
  it('lists the voices of one language, with their engines as models', async () => {
    const voices = await provider.listVoices({ language: 'en-GB' });

    expect(voices.map((voice) => voice.id).sort()).toEqual(['Amy', 'Brian', 'Emma']);
    expect(voices).toContainEqual({
      id: 'Amy',
      name: 'Amy',
      languages: ['en-GB'],
      gender: 'female',
      models: ['generative', 'neural', 'standard'],
    });
    const last = simulator.requests.at(-1);
    expect(last?.path).toBe('/v1/voices');
    expect(last?.query).toMatchObject({ LanguageCode: 'en-GB', IncludeAdditionalLanguageCodes: 'true' });
  });

  it('lists every English voice for a bare language, following DescribeVoices pages', async () => {
    const before = simulator.requests.length;
    const voices = await provider.listVoices({ language: 'en' });

    const ids = voices.map((voice) => voice.id);
    expect(ids).toEqual(expect.arrayContaining(['Gregory', 'Joanna', 'Matthew', 'Amy', 'Aditi']));
    expect(ids).not.toContain('Lupe');
    expect(voices.find((voice) => voice.id === 'Gregory')).toMatchObject({
      gender: 'male',
      models: ['long-form', 'neural'],
    });
    expect(
      simulator.requests.slice(before).filter((request) => request.path === '/v1/voices').length,
    ).toBeGreaterThan(1);
  });
});

describe('Polly failures', () => {
  const expectations: Array<[FaultKind, TtsProviderError['kind'], number, string]> = [
    ['server_error', 'retryable', 500, 'ServiceFailureException'],
    ['rate_limited', 'rate_limited', 400, 'ThrottlingException'],
    ['quota_exceeded', 'quota_exceeded', 402, 'ServiceQuotaExceededException'],
    ['auth', 'auth', 403, 'UnrecognizedClientException'],
  ];

  it.each(expectations)(
    'answers a %s fault as %s after exactly one request',
    async (fault, kind, status, code) => {
      const text = sentence();
      simulator.addFault({ kind: fault });

      const error = await failure(provider.synthesize({ text, voiceId: 'Joanna', format: 'mp3' }));

      expect(error).toMatchObject({ kind, provider: 'polly' });
      expect(error.details).toMatchObject({ status, providerCode: code });
      expect(requestsFor(text)).toHaveLength(1);
    },
  );

  it('reports an unknown voice as voice_not_found', async () => {
    const text = sentence();
    const error = await failure(provider.synthesize({ text, voiceId: 'Nobody', format: 'mp3' }));
    expect(error.kind).toBe('voice_not_found');
    expect(error.details.providerCode).toBe('ValidationException');
    expect(requestsFor(text)).toHaveLength(1);
  });

  it('reports a voice without the engine asked for as invalid_request', async () => {
    const error = await failure(
      provider.synthesize({ text: sentence(), voiceId: 'Gregory', model: 'generative', format: 'mp3' }),
    );
    expect(error.kind).toBe('invalid_request');
    expect(error.details.providerCode).toBe('EngineNotSupportedException');
  });

  it('refuses over 3,000 billed characters before calling Polly', async () => {
    const before = simulator.requests.length;
    const error = await failure(
      provider.synthesize({ text: 'a'.repeat(3001), voiceId: 'Joanna', format: 'mp3' }),
    );
    expect(error.kind).toBe('invalid_request');
    expect(simulator.requests.length).toBe(before);
  });

  it('answers over-long text, bad SSML and bad sample rates as Polly does', async () => {
    const client = new PollyClient({
      region: 'us-east-1',
      endpoint: simulator.url,
      credentials: CREDENTIALS,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
    const speak = (input: Partial<ConstructorParameters<typeof SynthesizeSpeechCommand>[0]>) =>
      client
        .send(
          new SynthesizeSpeechCommand({
            OutputFormat: 'mp3',
            VoiceId: 'Joanna',
            Engine: 'neural',
            Text: 'Hello.',
            ...input,
          }),
        )
        .then(
          () => 'ok',
          (error: Error) => error.name,
        );
    expect(await speak({ Text: 'a'.repeat(3001) })).toBe('TextLengthExceededException');
    expect(await speak({ Text: '<speak>Tom & Jerry</speak>', TextType: 'ssml' })).toBe(
      'InvalidSsmlException',
    );
    expect(await speak({ Text: '<speak><prosody pitch="+5%">Hi</prosody></speak>', TextType: 'ssml' })).toBe(
      'InvalidSsmlException',
    );
    expect(await speak({ OutputFormat: 'pcm', SampleRate: '24000' })).toBe('InvalidSampleRateException');
    client.destroy();
  });

  it('checks that requests are signed for polly', async () => {
    const unsigned = await fetch(`${simulator.url}/v1/voices`);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');

    const otherService = await fetch(`${simulator.url}/v1/voices`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
      },
    });
    expect(otherService.status).toBe(403);
    expect(otherService.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  it('gives up after timeoutMs when Polly does not answer', async () => {
    const text = sentence();
    simulator.addFault({ kind: 'timeout', delayMs: 5000 });
    const started = Date.now();

    const error = await failure(impatient.synthesize({ text, voiceId: 'Joanna', format: 'mp3' }));

    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(requestsFor(text)).toHaveLength(1);
  });
});
