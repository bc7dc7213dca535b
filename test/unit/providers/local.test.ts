// The `local` provider: eSpeak NG speaks offline in every format, honours settings, and refuses what it cannot do.
import { parseBuffer } from 'music-metadata';
import { describe, expect, it } from 'vitest';
import { audioSeconds } from '../../../functions/audio/measure.ts';
import { createLocalProvider } from '../../../functions/providers/tts/local.ts';
import { TtsProviderError, type SynthesisRequest } from '../../../functions/providers/tts/port.ts';

const provider = createLocalProvider();
const SENTENCE = 'The lighthouse keeper waved at the passing ship.';

function request(overrides: Partial<SynthesisRequest> = {}): SynthesisRequest {
  return { text: SENTENCE, voiceId: 'en-us', format: 'wav', ...overrides };
}

async function wavSeconds(overrides: Partial<SynthesisRequest>): Promise<number> {
  const { audio } = await provider.synthesize(request({ ...overrides, format: 'wav' }));
  return audioSeconds(audio, 'wav');
}

async function failure(promise: Promise<unknown>): Promise<TtsProviderError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof TtsProviderError))
    throw new Error(`expected a TtsProviderError, got ${String(error)}`);
  return error;
}

// Each synthesis instantiates eSpeak (~0.2 s, more on a busy machine), and some tests run several.
describe('local provider: synthesis', { timeout: 30_000 }, () => {
  it.each([
    ['mp3', 'audio/mpeg'],
    ['wav', 'audio/wav'],
  ] as const)('speaks %s that parses as mono 24 kHz audio', async (format, mimeType) => {
    // Act
    const result = await provider.synthesize(request({ format }));
    const { format: info } = await parseBuffer(result.audio, { mimeType }, { duration: true });

    // Assess
    expect(result).toMatchObject({ format, sampleRate: 24_000, model: 'espeak-ng' });
    expect(info.sampleRate).toBe(24_000);
    expect(info.numberOfChannels).toBe(1);
    expect(info.duration).toBeGreaterThan(1);
  });

  it('speaks raw 16-bit PCM at 24 kHz', async () => {
    // Act
    const result = await provider.synthesize(request({ format: 'pcm' }));

    // Assess
    expect(result.sampleRate).toBe(24_000);
    expect(result.audio.length % 2).toBe(0);
    expect(await audioSeconds(result.audio, 'pcm')).toBeGreaterThan(1);
  });

  it('takes longer to say a longer text', async () => {
    // Act
    const short = await wavSeconds({ text: 'Hello.' });
    const long = await wavSeconds({ text: `Hello. ${SENTENCE} ${SENTENCE}` });

    // Assess
    expect(long).toBeGreaterThan(short + 1);
  });

  it('speaks faster at speed 1.2 than at 0.7', async () => {
    // Act
    const fast = await wavSeconds({ settings: { speed: 1.2 } });
    const slow = await wavSeconds({ settings: { speed: 0.7 } });

    // Assess
    expect(fast).toBeLessThan(slow * 0.8);
  });

  it('caps the speaking rate at what eSpeak can do, rather than failing', async () => {
    // Act: 175 wpm × 3 and × 4 both pass eSpeak's 450 wpm ceiling.
    const triple = await wavSeconds({ settings: { speaking_rate: 3 } });
    const quadruple = await wavSeconds({ settings: { speaking_rate: 4 } });
    const normal = await wavSeconds({});

    // Assess
    expect(quadruple).toBe(triple);
    expect(triple).toBeLessThan(normal * 0.6);
  });

  it('changes the voice with pitch', async () => {
    // Act
    const low = await provider.synthesize(request({ format: 'pcm', settings: { pitch: -20 } }));
    const high = await provider.synthesize(request({ format: 'pcm', settings: { pitch: 20 } }));

    // Assess
    expect(high.audio).not.toEqual(low.audio);
  });

  it.each(['--help', '-v xx hello', '--voices', '-w /etc/passwd and more'])(
    'speaks text that looks like an option (%j) instead of obeying it',
    async (text) => {
      // Act
      const seconds = await wavSeconds({ text });

      // Assess
      expect(seconds).toBeGreaterThan(0.3);
    },
  );

  it('speaks markup as text rather than interpreting it', async () => {
    // Act
    const plain = await wavSeconds({ text: 'hello' });
    const markup = await wavSeconds({ text: '<speak><break time="10s"/>hello</speak>' });

    // Assess: a ten-second break would make it far longer; reading the tags aloud makes it only somewhat longer.
    expect(markup).toBeGreaterThan(plain);
    expect(markup).toBeLessThan(plain + 9);
  });

  it('streams the same audio it synthesises', async () => {
    // Prepare
    const whole = await provider.synthesize(request({ format: 'mp3' }));

    // Act
    const chunks: Uint8Array[] = [];
    for await (const chunk of provider.stream(request({ format: 'mp3' }))) chunks.push(chunk);

    // Assess
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(whole.audio));
  });

  it('speaks with every language it lists', async () => {
    // Prepare
    const voices = (await provider.listVoices()).filter((voice) => !voice.id.includes('+'));

    // Act
    const spoken: string[] = [];
    for (const voice of voices) {
      const { audio } = await provider.synthesize(
        request({ voiceId: voice.id, text: 'Hola.', format: 'pcm' }),
      );
      if (audio.length > 0) spoken.push(voice.id);
    }

    // Assess
    expect(spoken.length).toBeGreaterThanOrEqual(9);
    expect(spoken).toEqual(voices.map((voice) => voice.id));
  });

  it('sounds different with each variant it lists', async () => {
    // Prepare: eSpeak ignores a variant name it does not have, which would leave the audio unchanged.
    const variants = (await provider.listVoices({ language: 'en-US' })).filter((voice) =>
      voice.id.includes('+'),
    );
    const plain = await provider.synthesize(request({ text: 'Hello.', format: 'pcm' }));

    // Act
    const changed: string[] = [];
    for (const variant of variants) {
      const { audio } = await provider.synthesize(
        request({ voiceId: variant.id, text: 'Hello.', format: 'pcm' }),
      );
      if (!Buffer.from(audio).equals(Buffer.from(plain.audio))) changed.push(variant.id);
    }

    // Assess
    expect(variants.length).toBeGreaterThanOrEqual(2);
    expect(changed).toEqual(variants.map((variant) => variant.id));
  });
});

describe('local provider: refusals', () => {
  it('refuses an unknown voice as voice_not_found', async () => {
    const error = await failure(provider.synthesize(request({ voiceId: 'xx-nowhere' })));

    expect(error.kind).toBe('voice_not_found');
    expect(error.message).toContain('xx-nowhere');
  });

  it('refuses an unknown model as voice_not_found', async () => {
    const error = await failure(provider.synthesize(request({ model: 'eleven_flash_v2_5' })));

    expect(error.kind).toBe('voice_not_found');
  });

  it.each([
    ['empty text', ''],
    ['blank text', '  \n '],
    ['5001 characters', 'a'.repeat(5001)],
  ])('refuses %s as invalid_request', async (_, text) => {
    const error = await failure(provider.synthesize(request({ text })));

    expect(error.kind).toBe('invalid_request');
    expect(error.retryable).toBe(false);
  });

  it('stops when the caller has already given up', async () => {
    const error = await failure(provider.synthesize(request({ signal: AbortSignal.abort() })));

    expect(error.kind).toBe('timeout');
  });
});

describe('local provider: voices', () => {
  it('lists English voices for "en" and no French ones', async () => {
    // Act
    const voices = await provider.listVoices({ language: 'en' });
    const ids = voices.map((voice) => voice.id);

    // Assess
    expect(ids).toEqual(expect.arrayContaining(['en-us', 'en-gb']));
    expect(voices.every((voice) => voice.languages.every((tag) => /^en-/.test(tag)))).toBe(true);
    expect(ids.some((id) => id.startsWith('fr'))).toBe(false);
  });

  it('matches a region case-insensitively', async () => {
    const voices = await provider.listVoices({ language: 'EN-gb' });

    expect(voices.length).toBeGreaterThan(0);
    expect(voices.every((voice) => voice.languages.includes('en-GB'))).toBe(true);
  });

  it('offers female and male variants with BCP 47 languages', async () => {
    // Act
    const voices = await provider.listVoices();
    const byId = new Map(voices.map((voice) => [voice.id, voice]));

    // Assess
    expect(byId.get('en-us+f3')).toMatchObject({ gender: 'female', languages: ['en-US'] });
    expect(byId.get('en-us+m3')).toMatchObject({ gender: 'male', languages: ['en-US'] });
    expect(byId.get('es-419')?.languages).toEqual(['es-419']);
    expect(byId.get('pt-br')?.languages).toEqual(['pt-BR']);
    for (const language of ['en-us', 'en-gb', 'es', 'es-419', 'fr', 'de', 'it', 'pt-br', 'nl']) {
      expect(byId.has(language)).toBe(true);
    }
  });

  it('declares one free-standing model and its settings', () => {
    expect(provider).toMatchObject({ name: 'local', defaultModel: 'espeak-ng', supportsPhonemes: false });
    expect(provider.models[0]).toMatchObject({
      id: 'espeak-ng',
      maxInput: 5000,
      formats: ['mp3', 'wav', 'pcm'],
    });
    expect(provider.settings.speed).toEqual({ kind: 'number', min: 0.7, max: 1.2, default: 1 });
    // Cloning here is a voice profile (pitch and pace), tested in local-cloning.test.ts.
    expect(provider.cloning).toBeDefined();
  });
});
