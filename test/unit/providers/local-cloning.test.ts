// The `local` provider's cloning: a voice profile measured from samples, carried in its id, spoken by eSpeak.
import { parseBuffer } from 'music-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { audioSeconds } from '../../../functions/audio/measure.ts';
import { createLocalProvider } from '../../../functions/providers/tts/local.ts';
import {
  TtsProviderError,
  type AudioFormat,
  type CloneSample,
  type VoiceCloning,
} from '../../../functions/providers/tts/port.ts';
import { decodeProfileVoiceId } from '../../../functions/providers/tts/voice-profile.ts';

const provider = createLocalProvider();
const PASSAGES = [
  'The lighthouse keeper waved at the passing ship, and the sailors waved back from the deck. ' +
    'Every evening he climbed the narrow stairs to light the great lamp, and every morning he wrote ' +
    'a few lines in his logbook about the weather, the birds and the boats. It was a quiet life, ' +
    'but he liked it that way.',
  'On market day the square filled with stalls of apples, cheese and fresh bread. Children ran ' +
    'between the carts while their parents argued about prices, and an old man played the violin ' +
    'by the fountain. By noon the baskets were heavy and the sun was warm on the cobblestones.',
];

function cloning(): VoiceCloning {
  if (!provider.cloning) throw new Error('the local provider offers no cloning');
  return provider.cloning;
}

async function render(text: string, voiceId: string, format: AudioFormat = 'wav'): Promise<CloneSample> {
  const { audio } = await provider.synthesize({ text, voiceId, format });
  const contentType = format === 'mp3' ? 'audio/mpeg' : 'audio/wav';
  return { fileName: `sample.${format}`, contentType, bytes: audio };
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

// Each render instantiates eSpeak, and a profile measures ~45 s of audio.
describe('local provider: voice profiles from samples', { timeout: 60_000 }, () => {
  let female: CloneSample[] = [];

  beforeAll(async () => {
    female = await Promise.all(PASSAGES.map((text) => render(text, 'en-us+f3')));
  }, 60_000);

  it('profiles two ~20 s WAVs of a female voice as a female profile, ready at once', async () => {
    // Prepare
    const seconds = await Promise.all(female.map((sample) => audioSeconds(sample.bytes, 'wav')));

    // Act
    const result = await cloning().createVoice({ name: 'Lighthouse keeper', samples: female });

    // Assess
    expect(seconds.every((length) => length > 15 && length < 30)).toBe(true);
    expect(result.status).toBe('ready');
    expect(result.voiceId).toMatch(/^profile:en-us\+f3:p\d+:w\d+$/);
    const profile = decodeProfileVoiceId(result.voiceId);
    expect(profile?.pitch).toBeGreaterThan(35);
    expect(profile?.pitch).toBeLessThan(65);
    expect(profile?.wpm).toBeGreaterThan(130);
    expect(profile?.wpm).toBeLessThan(230);
  });

  it('profiles a male voice from MP3 samples, in the language its labels name', async () => {
    // Prepare
    const male = await Promise.all(PASSAGES.map((text) => render(text, 'en-us+m3', 'mp3')));

    // Act
    const result = await cloning().createVoice({
      name: 'Market',
      samples: male,
      labels: { language: 'en-GB' },
    });

    // Assess
    expect(decodeProfileVoiceId(result.voiceId)).toMatchObject({ base: 'en-gb', variant: 'm3' });
  });

  it('speaks valid mp3 with a profile id, and streams it too', async () => {
    // Prepare
    const { voiceId } = await cloning().createVoice({ name: 'Lighthouse keeper', samples: female });
    const request = { text: 'Good evening, sailors.', voiceId, format: 'mp3' as const };

    // Act
    const result = await provider.synthesize(request);
    const chunks: Uint8Array[] = [];
    for await (const chunk of provider.stream(request)) chunks.push(chunk);
    const spoken = await audioSeconds(result.audio, 'mp3');
    const streamed = await audioSeconds(Buffer.concat(chunks), 'mp3');

    // Assess: the female variants breathe with eSpeak's random noise, so two renders match in length, not bytes.
    expect(result).toMatchObject({ format: 'mp3', sampleRate: 24_000, model: 'espeak-ng' });
    const { format: info } = await parseBuffer(result.audio, { mimeType: 'audio/mpeg' });
    expect(info.sampleRate).toBe(24_000);
    expect(spoken).toBeGreaterThan(0.5);
    expect(streamed).toBeCloseTo(spoken, 1);
  });

  it("adjusts a profile's rate and pitch with the request's settings", async () => {
    // Prepare
    const voiceId = 'profile:en-us+f3:p50:w175';
    const seconds = async (speed: number): Promise<number> => {
      const { audio } = await provider.synthesize({
        text: PASSAGES[0] ?? '',
        voiceId,
        format: 'wav',
        settings: { speed },
      });
      return audioSeconds(audio, 'wav');
    };

    // Act
    const fast = await seconds(1.2);
    const slow = await seconds(0.7);
    const profileSlow = await provider.synthesize({
      text: 'Hello.',
      voiceId: 'profile:en-us+f3:p50:w90',
      format: 'pcm',
    });
    const stock = await provider.synthesize({ text: 'Hello.', voiceId: 'en-us+f3', format: 'pcm' });

    // Assess
    expect(fast).toBeLessThan(slow * 0.8);
    expect(profileSlow.audio.length).toBeGreaterThan(stock.audio.length * 1.3);
  });

  it('refuses a crafted profile id as voice_not_found', async () => {
    const error = await failure(
      provider.synthesize({ text: 'Hello.', voiceId: 'profile:en-us+f3 -w /etc/x:p1:w1', format: 'wav' }),
    );

    expect(error.kind).toBe('voice_not_found');
  });

  it('says a valid profile id is ready and anything else missing', async () => {
    await expect(cloning().voiceStatus('profile:en-us+f3:p62:w172')).resolves.toBe('ready');
    await expect(cloning().voiceStatus('profile:en-us+f3:p62:w9999')).resolves.toBe('missing');
    await expect(cloning().voiceStatus('en-us+f3')).resolves.toBe('missing');
  });

  it('deletes idempotently: there is nothing stored to delete', async () => {
    const voiceId = 'profile:en-us+f3:p62:w172';

    await expect(cloning().deleteVoice(voiceId)).resolves.toBeUndefined();
    await expect(cloning().deleteVoice(voiceId)).resolves.toBeUndefined();
    await expect(cloning().voiceStatus(voiceId)).resolves.toBe('ready');
  });

  it('refuses samples with too little speech as invalid_request', async () => {
    // Prepare: two short sentences, a few seconds of speech.
    const short = await render('Hello there. Nice to meet you.', 'en-us+f3');

    // Act
    const error = await failure(cloning().createVoice({ name: 'Short', samples: [short, short] }));

    // Assess
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toMatch(
      /^The samples hold too little speech to measure a voice \(\d+\.\d s voiced/,
    );
  });

  it('refuses a sample that is not audio, naming it, as invalid_request', async () => {
    // Prepare
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const samples = [...female, { fileName: 'face.png', contentType: 'audio/wav', bytes: png }];

    // Act
    const error = await failure(cloning().createVoice({ name: 'Mixed', samples }));

    // Assess
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toContain('"face.png"');
    expect(error.message).toContain('PNG image');
  });

  it('refuses no samples, and a language eSpeak is not offered in, as invalid_request', async () => {
    const none = await failure(cloning().createVoice({ name: 'Empty', samples: [] }));
    const japanese = await failure(
      cloning().createVoice({ name: 'Japanese', samples: female, labels: { language: 'ja-JP' } }),
    );

    expect(none.kind).toBe('invalid_request');
    expect(japanese.kind).toBe('invalid_request');
    expect(japanese.message).toContain('ja-JP');
  });
});
