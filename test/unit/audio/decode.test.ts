// Recognising uploads by their bytes, and decoding WAV, MP3, FLAC and OGG to mono samples; damaged files fail cleanly.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CorruptAudioError,
  decodeAudio,
  m4aChannels,
  NoDecoderError,
  sniffAudioFormat,
  type SniffableAudioFormat,
} from '../../../functions/audio/decode.ts';
import {
  hasFfmpeg,
  makeFfmpegFixtures,
  makeFixtures,
  mp3,
  png,
  randomBytes,
  RATE,
  seededRandom,
  speechSamples,
  tone,
  truncate,
  viaFfmpeg,
  wav,
  type FfmpegFixtureName,
  type FixtureName,
} from '../../fixtures/audio-fixtures.ts';

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const bytesOf = (...parts: Array<number[] | string | Uint8Array>): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? ascii(part) : [...part])));

/** An ISO media file's opening: an `ftyp` box with the brands, then any further boxes. */
function ftyp(major: string, compatible: string[], ...boxes: Uint8Array[]): Uint8Array {
  const size = 16 + compatible.length * 4;
  return bytesOf([0, 0, 0, size], 'ftyp', major, [0, 0, 0, 0], compatible.join(''), ...boxes);
}

/** A `hdlr` box declaring a track of the given handler type (`vide`, `soun`). */
function handler(type: string): Uint8Array {
  return bytesOf([0, 0, 0, 33], 'hdlr', [0, 0, 0, 0], [0, 0, 0, 0], type, new Array<number>(13).fill(0));
}

/** Two ADTS (raw AAC) frames of 16 bytes each. */
function adts(): Uint8Array {
  const frame = [
    0xff,
    0xf1,
    0x50,
    0x80,
    16 >> 3,
    ((16 & 7) << 5) | 0x1f,
    0xfc,
    ...new Array<number>(9).fill(0),
  ];
  return bytesOf(frame, frame);
}

/** An ID3v2.4 tag of `size` bytes of padding. */
function id3(size = 100): Uint8Array {
  return bytesOf('ID3', [4, 0, 0, 0, 0, size >> 7, size & 0x7f], new Array<number>(size).fill(0));
}

/** The bytes with a stretch in the middle overwritten by seeded random bytes, as disk or network damage leaves. */
function damage(bytes: Uint8Array, from = 0.3, to = 0.6, seed = 3): Uint8Array {
  const out = bytes.slice();
  const random = seededRandom(seed);
  for (let i = Math.floor(out.length * from); i < out.length * to; i++) out[i] = Math.floor(random() * 256);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected the promise to reject'),
    (error: unknown) => error,
  );
}

let fixtures: Record<FixtureName, Uint8Array>;
let encoded: Partial<Record<FfmpegFixtureName, Uint8Array>> = {};
let speech: Int16Array;

// eSpeak renders ~25 s of speech once per file (a few seconds on a busy machine), ffmpeg converts it.
beforeAll(async () => {
  fixtures = await makeFixtures();
  speech = await speechSamples();
  if (hasFfmpeg) encoded = await makeFfmpegFixtures();
}, 120_000);

describe('sniffAudioFormat', () => {
  it.each([
    ['a WAV file', () => fixtures.speech_wav, 'wav'],
    ['an MP3 file without tags', () => fixtures.speech_mp3, 'mp3'],
    ['an MP3 file behind an ID3 tag', () => bytesOf(id3(), fixtures.speech_mp3), 'mp3'],
    ['a FLAC file behind an ID3 tag', () => bytesOf(id3(), 'fLaC', [0, 0, 0, 34]), 'flac'],
    ['an M4A file (M4A brand)', () => ftyp('M4A ', ['M4A ', 'isom']), 'm4a'],
    ['an audio-only MP4 (generic brand, sound track)', () => ftyp('isom', ['mp42'], handler('soun')), 'm4a'],
    ['an OGG file', () => bytesOf('OggS', new Array<number>(40).fill(0)), 'ogg'],
  ] as const)('recognises %s', (_, bytes, expected) => {
    // Act
    const format = sniffAudioFormat(bytes());

    // Assess
    expect(format).toBe(expected);
  });

  it.each([
    ['PNG image', () => png()],
    ['JPEG image', () => bytesOf([0xff, 0xd8, 0xff, 0xe0], new Array<number>(60).fill(0))],
    ['GIF image', () => bytesOf('GIF89a', new Array<number>(20).fill(0))],
    ['PDF document', () => bytesOf('%PDF-1.7\n%âãÏÓ\n')],
    ['ZIP archive (or an Office document)', () => bytesOf('PK', [3, 4], new Array<number>(26).fill(0))],
    ['WebP image', () => bytesOf('RIFF', [0, 1, 0, 0], 'WEBPVP8 ')],
    ['AVI video', () => bytesOf('RIFF', [0, 1, 0, 0], 'AVI LIST')],
    ['MP4 video', () => ftyp('isom', ['isom', 'avc1', 'mp41'], handler('soun'), handler('vide'))],
    ['MP4 video', () => ftyp('M4V ', ['M4V ', 'isom'])],
    ['QuickTime video', () => ftyp('qt  ', ['qt  '])],
    ['HEIC image', () => ftyp('heic', ['mif1', 'heic'])],
    ['web page (HTML)', () => bytesOf('<!DOCTYPE html>\n<html><body>Hello</body></html>')],
    ['text file', () => bytesOf('Hello, this is my voice sample, or it would be if it were audio.\n')],
  ])('names a %s as what it is', (expected, bytes) => {
    // Act
    const format = sniffAudioFormat(bytes());

    // Assess
    expect(format).toEqual({ other: expected });
  });

  it.each([
    ['AIFF audio', () => bytesOf('FORM', [0, 0, 1, 0], 'AIFFCOMM')],
    ['AAC audio (ADTS)', () => adts()],
    ['WebM or Matroska file', () => bytesOf([0x1a, 0x45, 0xdf, 0xa3], new Array<number>(30).fill(0))],
  ])('marks %s as audio in a format that is not accepted', (expected, bytes) => {
    // Act
    const format = sniffAudioFormat(bytes());

    // Assess
    expect(format).toEqual({ other: expected, audio: true });
  });

  it('goes by the bytes, never the name: a PNG renamed .mp3 is a PNG', () => {
    // Prepare
    const picture = fixtures.png_named_mp3;

    // Act
    const format = sniffAudioFormat(picture);

    // Assess
    expect(format).toEqual({ other: 'PNG image' });
  });

  it('does not take one stray MPEG frame header for an MP3', () => {
    // Prepare: a valid Layer III header followed by nothing that continues it.
    const lone = bytesOf([0xff, 0xfb, 0x90, 0x64], new Array<number>(2000).fill(0));

    // Act
    const format = sniffAudioFormat(lone);

    // Assess
    expect(format).toBeUndefined();
  });

  it('has no answer for an empty file or random bytes', () => {
    // Act
    const empty = sniffAudioFormat(new Uint8Array(0));
    const random = sniffAudioFormat(randomBytes(50_000));

    // Assess
    expect(empty).toBeUndefined();
    expect(random).toBeUndefined();
  });
});

describe('decodeAudio', { timeout: 60_000 }, () => {
  beforeEach(() => {
    // mpg123 and libopus report every bad frame on the console; damaged input is the point of several tests.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads WAV samples as floats in −1…1', async () => {
    // Act
    const decoded = await decodeAudio(fixtures.speech_wav, 'wav');

    // Assess
    expect(decoded).toMatchObject({ sampleRate: RATE, channels: 1, complete: true });
    expect(decoded.samples.length).toBe(speech.length);
    expect(decoded.samples[1000]).toBeCloseTo((speech[1000] ?? 0) / 32768, 6);
  });

  it('mixes a stereo WAV down to mono', async () => {
    // Act
    const decoded = await decodeAudio(fixtures.speech_stereo_wav, 'wav');

    // Assess
    expect(decoded.channels).toBe(2);
    expect(decoded.samples.length).toBe(speech.length);
  });

  it('decodes MP3 and reports a mono file as mono (the decoder itself always answers in stereo)', async () => {
    // Act
    const decoded = await decodeAudio(fixtures.speech_mp3, 'mp3');

    // Assess
    expect(decoded).toMatchObject({ sampleRate: RATE, channels: 1, complete: true });
    // MP3 adds an encoder delay and pads its last frame: up to ~0.1 s more than went in.
    expect(Math.abs(decoded.samples.length / RATE - speech.length / RATE)).toBeLessThan(0.1);
  });

  it.skipIf(!hasFfmpeg).each([
    ['speech_flac', RATE],
    ['speech_ogg_vorbis', RATE],
    ['speech_ogg_opus', 48_000],
  ] as const)('decodes %s at its own rate (needs ffmpeg)', async (name, rate) => {
    // Prepare
    const bytes = encoded[name] ?? new Uint8Array(0);

    // Act
    const decoded = await decodeAudio(bytes, sniffAudioFormat(bytes) as SniffableAudioFormat);

    // Assess
    expect(decoded).toMatchObject({ sampleRate: rate, channels: 1, complete: true });
    expect(decoded.samples.length / rate).toBeCloseTo(speech.length / RATE, 1);
  });

  it.skipIf(!hasFfmpeg)(
    'refuses M4A with NoDecoderError, and reads its real channel count (needs ffmpeg)',
    async () => {
      // Prepare
      const m4a = encoded.speech_m4a ?? new Uint8Array(0);

      // Act
      const error = await rejection(decodeAudio(m4a, 'm4a'));

      // Assess
      expect(error).toBeInstanceOf(NoDecoderError);
      expect(m4aChannels(m4a)).toBe(1);
    },
  );

  it('stops at maxSeconds and says the result is incomplete', async () => {
    // Act
    const decoded = await decodeAudio(fixtures.speech_mp3, 'mp3', { maxSeconds: 5 });

    // Assess
    expect(decoded.complete).toBe(false);
    expect(decoded.samples.length).toBe(5 * RATE);
  });

  it.each(['speech_wav', 'speech_mp3'] as const)(
    'rejects %s cut to its first 30 percent as truncated',
    async (name) => {
      // Prepare
      const bytes = truncate(fixtures[name]);

      // Act
      const error = await rejection(decodeAudio(bytes, sniffAudioFormat(bytes) as SniffableAudioFormat));

      // Assess
      expect(error).toBeInstanceOf(CorruptAudioError);
      expect(error).toMatchObject({ truncated: true, message: expect.stringMatching(/cut off/) });
    },
  );

  it.skipIf(!hasFfmpeg).each(['speech_flac', 'speech_ogg_vorbis', 'speech_ogg_opus', 'speech_m4a'] as const)(
    'rejects %s cut to its first 30 percent as truncated (needs ffmpeg)',
    async (name) => {
      // Prepare
      const bytes = truncate(encoded[name] ?? new Uint8Array(0));

      // Act
      const error = await rejection(decodeAudio(bytes, sniffAudioFormat(bytes) as SniffableAudioFormat));

      // Assess
      expect(error).toBeInstanceOf(CorruptAudioError);
      expect(error).toMatchObject({ truncated: true });
    },
  );

  it('rejects an MP3 whose middle is overwritten with junk as damaged', async () => {
    // Act
    const error = await rejection(decodeAudio(damage(fixtures.speech_mp3), 'mp3'));

    // Assess
    expect(error).toBeInstanceOf(CorruptAudioError);
    expect((error as Error).message).toMatch(/damaged/);
  });

  it.skipIf(!hasFfmpeg).each(['speech_ogg_vorbis', 'speech_ogg_opus', 'speech_flac'] as const)(
    'rejects %s whose middle is overwritten with junk (needs ffmpeg)',
    async (name) => {
      // Act
      const error = await rejection(decodeAudio(damage(encoded[name] ?? new Uint8Array(0)), 'ogg'));

      // Assess
      expect(error).toBeInstanceOf(CorruptAudioError);
    },
  );

  it.each(['wav', 'mp3', 'flac', 'ogg'] as const)('rejects random bytes claimed to be %s', async (format) => {
    // Act
    const error = await rejection(decodeAudio(randomBytes(20_000, 5), format));

    // Assess
    expect(error).toBeInstanceOf(CorruptAudioError);
  });

  it('fails cleanly, never hangs or crashes, on files with bytes flipped here and there', async () => {
    // Prepare: every decodable fixture format, each with 8 seeded sets of 200 flipped bytes after its header.
    const sources: Array<[SniffableAudioFormat, Uint8Array]> = [
      ['wav', wav(tone(3))],
      ['mp3', await mp3(tone(3))],
    ];
    if (hasFfmpeg) {
      const short = wav(speech.subarray(0, 4 * RATE));
      sources.push(
        ['flac', await viaFfmpeg(short, 'flac')],
        ['ogg', await viaFfmpeg(short, 'ogg-vorbis')],
        ['ogg', await viaFfmpeg(short, 'ogg-opus')],
      );
    }
    const outcomes: string[] = [];

    // Act
    for (const [format, bytes] of sources) {
      for (let seed = 1; seed <= 8; seed++) {
        const random = seededRandom(seed);
        const broken = bytes.slice();
        for (let i = 0; i < 200; i++) {
          const at = 64 + Math.floor(random() * (broken.length - 64));
          broken[at] = (broken[at] ?? 0) ^ 0xff;
        }
        const outcome = await decodeAudio(broken, format).then(
          (decoded) => (decoded.samples.every(Number.isFinite) ? 'decoded' : 'not finite'),
          (error: unknown) => (error instanceof CorruptAudioError ? 'corrupt' : `other: ${String(error)}`),
        );
        outcomes.push(outcome);
      }
    }

    // Assess
    expect(outcomes.filter((outcome) => outcome !== 'decoded' && outcome !== 'corrupt')).toEqual([]);
  });
});
