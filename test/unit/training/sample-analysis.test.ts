// Voice-sample checks: each kind of upload gets the verdict and the plain-words reason a person can act on.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeWav } from '../../../functions/audio/wav.ts';
import { analyseSample, type SampleReport } from '../../../functions/training/sample-analysis.ts';
import {
  hasFfmpeg,
  makeFfmpegFixtures,
  makeFixtures,
  randomBytes,
  speechSamples,
  truncate,
  type FfmpegFixtureName,
  type FixtureName,
} from '../../fixtures/audio-fixtures.ts';

let fixtures: Record<FixtureName, Uint8Array>;
let encoded: Partial<Record<FfmpegFixtureName, Uint8Array>> = {};
const reports = new Map<string, Promise<SampleReport>>();

/** The report for a fixture, analysed once per file. */
function reportFor(name: FixtureName | FfmpegFixtureName): Promise<SampleReport> {
  let report = reports.get(name);
  if (!report) {
    const bytes = name in fixtures ? fixtures[name as FixtureName] : encoded[name as FfmpegFixtureName];
    if (!bytes) throw new Error(`No fixture named ${name}`);
    report = analyseSample(bytes);
    reports.set(name, report);
  }
  return report;
}

const codes = (report: SampleReport): string[] => report.reasons.map((reason) => reason.code);

// eSpeak renders ~25 s of speech once per file (a few seconds on a busy machine), ffmpeg converts it.
beforeAll(async () => {
  fixtures = await makeFixtures();
  if (hasFfmpeg) encoded = await makeFfmpegFixtures();
}, 120_000);

beforeEach(() => {
  // mpg123 reports bad frames on the console; damaged files are among the fixtures.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('analyseSample: one verdict per kind of upload', { timeout: 60_000 }, () => {
  it.each<[FixtureName, 'valid' | 'rejected', string | undefined, 'full' | 'metadata_only']>([
    ['speech_wav', 'valid', undefined, 'full'],
    ['speech_mp3', 'valid', undefined, 'full'],
    ['speech_60s_wav', 'valid', undefined, 'full'],
    ['room_speech_wav', 'valid', undefined, 'full'],
    ['speech_stereo_wav', 'valid', 'warning_stereo', 'full'],
    ['speech_8khz_wav', 'valid', 'warning_low_sample_rate', 'full'],
    ['hissy_speech_wav', 'valid', 'warning_background_noise', 'full'],
    ['short_speech_wav', 'rejected', 'too_short', 'full'],
    ['white_noise_wav', 'rejected', 'no_speech', 'full'],
    ['pink_noise_mp3', 'rejected', 'no_speech', 'full'],
    ['tone_wav', 'rejected', 'no_speech', 'full'],
    ['music_wav', 'rejected', 'no_speech', 'full'],
    ['music_mp3', 'rejected', 'no_speech', 'full'],
    ['silence_wav', 'rejected', 'silence', 'full'],
    ['clipped_speech_wav', 'rejected', 'clipping', 'full'],
    ['quiet_speech_wav', 'rejected', 'too_quiet', 'full'],
    ['noisy_speech_wav', 'rejected', 'noisy', 'full'],
    ['truncated_wav', 'rejected', 'corrupt_file', 'full'],
    ['truncated_mp3', 'rejected', 'corrupt_file', 'full'],
    ['png_named_mp3', 'rejected', 'not_audio', 'metadata_only'],
    ['empty', 'rejected', 'empty_file', 'metadata_only'],
    ['random_bytes', 'rejected', 'unsupported_format', 'metadata_only'],
    ['oversized_wav', 'rejected', 'too_large', 'metadata_only'],
  ])('%s is %s (%s)', async (name, verdict, code, analysis) => {
    // Act
    const report = await reportFor(name);

    // Assess
    expect(report).toMatchObject({ verdict, analysis, size_bytes: fixtures[name].length });
    if (code === undefined) expect(report.reasons).toEqual([]);
    else expect(codes(report)[0]).toBe(code);
    for (const reason of report.reasons) {
      expect(reason.message.length).toBeGreaterThan(20);
      expect(reason.tip.length).toBeGreaterThan(20);
    }
    if (verdict === 'valid') expect(codes(report).every((item) => item.startsWith('warning_'))).toBe(true);
  });

  it.skipIf(!hasFfmpeg).each<[FfmpegFixtureName, 'full' | 'metadata_only']>([
    ['speech_flac', 'full'],
    ['speech_ogg_vorbis', 'full'],
    ['speech_ogg_opus', 'full'],
    ['speech_m4a', 'metadata_only'],
  ])('%s is valid, analysed %s (needs ffmpeg)', async (name, analysis) => {
    // Act
    const report = await reportFor(name);

    // Assess
    expect(report).toMatchObject({ verdict: 'valid', analysis, channels: 1 });
    expect(report.duration_seconds).toBeCloseTo((await reportFor('speech_wav')).duration_seconds ?? 0, 0);
  });

  it.skipIf(!hasFfmpeg)('checks only the metadata of an M4A and says so (needs ffmpeg)', async () => {
    // Act
    const report = await reportFor('speech_m4a');

    // Assess
    expect(report).toMatchObject({
      format: 'm4a',
      sample_rate: 24_000,
      channels: 1,
      analysis: 'metadata_only',
    });
    expect(report.quality).toBeUndefined();
    expect(codes(report)).toEqual(['warning_not_listened']);
  });

  it.skipIf(!hasFfmpeg).each(['speech_m4a', 'speech_flac', 'speech_ogg_opus'] as const)(
    'rejects %s cut off part-way as a corrupt file (needs ffmpeg)',
    async (name) => {
      // Act
      const report = await analyseSample(truncate(encoded[name] ?? new Uint8Array(0)));

      // Assess
      expect(report.verdict).toBe('rejected');
      expect(codes(report)).toEqual(['corrupt_file']);
      expect(report.reasons[0]?.message).toMatch(/cut off/);
    },
  );
});

describe('analyseSample: measures', { timeout: 60_000 }, () => {
  it('measures speech at a normal level, mostly speech, with no clipping', async () => {
    // Act
    const { quality, duration_seconds, sample_rate } = await reportFor('speech_wav');

    // Assess
    expect(quality?.loudness_dbfs).toBeGreaterThan(-35);
    expect(quality?.loudness_dbfs).toBeLessThan(-5);
    expect(quality?.peak_dbfs).toBeLessThan(0);
    expect(quality?.speech_share).toBeGreaterThan(0.5);
    expect(quality?.clipping_share).toBe(0);
    expect(quality?.snr_db).toBeGreaterThan(30);
    expect(duration_seconds).toBeGreaterThan(15);
    expect(sample_rate).toBe(24_000);
  });

  it('finds no speech in a tone, noise or music', async () => {
    // Act
    const reports = await Promise.all(
      (['tone_wav', 'white_noise_wav', 'pink_noise_mp3', 'music_wav'] as const).map(reportFor),
    );

    // Assess
    for (const report of reports) expect(report.quality?.speech_share).toBeLessThan(0.2);
  });

  it('measures clipping on over-amplified speech, and a noise floor on a real room', async () => {
    // Act
    const clipped = await reportFor('clipped_speech_wav');
    const room = await reportFor('room_speech_wav');

    // Assess
    expect(clipped.quality?.clipping_share).toBeGreaterThan(0.01);
    expect(clipped.quality?.peak_dbfs).toBeCloseTo(0, 1);
    expect(room.quality?.noise_floor_dbfs).toBeGreaterThan(-70);
    expect(room.quality?.noise_floor_dbfs).toBeLessThan(-45);
  });

  it('measures the quiet speech as quiet, and still as speech', async () => {
    // Act
    const { quality } = await reportFor('quiet_speech_wav');

    // Assess
    expect(quality?.loudness_dbfs).toBeLessThan(-40);
    expect(quality?.speech_share).toBeGreaterThan(0.5);
  });

  it('decodes and measures a 60 s WAV in full', async () => {
    // Act
    const report = await reportFor('speech_60s_wav');

    // Assess
    expect(report.duration_seconds).toBeCloseTo(60, 1);
    expect(report.quality?.speech_share).toBeGreaterThan(0.5);
  });
});

describe('analyseSample: messages and limits', { timeout: 60_000 }, () => {
  it('names what a non-audio file is, by its bytes whatever it was called', async () => {
    // Act
    const report = await reportFor('png_named_mp3');

    // Assess
    expect(report.format).toBe('PNG image');
    expect(report.reasons[0]?.message).toBe('This file is a PNG image, not a recording.');
    expect(report.reasons[0]?.tip).toMatch(/MP3, WAV or M4A/);
  });

  it('gives the size and the limit of a file that is too large', async () => {
    // Act
    const report = await reportFor('oversized_wav');

    // Assess
    expect(report.reasons[0]?.message).toBe('This file is 10.5 MB; the limit is 10 MB.');
  });

  it('takes a different size limit', async () => {
    // Act
    const report = await analyseSample(fixtures.speech_wav, { maxBytes: 1_000_000 });

    // Assess
    expect(report.verdict).toBe('rejected');
    expect(report.reasons[0]?.message).toMatch(/^This file is 1\.\d MB; the limit is 1 MB\.$/);
  });

  it('says how long a short recording is and how long it must be', async () => {
    // Act
    const report = await reportFor('short_speech_wav');

    // Assess
    expect(report.reasons[0]?.message).toMatch(
      /is \d\.\d seconds long; each sample needs at least 5 seconds/,
    );
    expect(report.duration_seconds).toBeLessThan(5);
  });

  it('never throws: whatever the bytes, the answer is a rejected report with reasons', async () => {
    // Prepare: headers with impossible values, tags with nothing after them, containers without content.
    const speech = await speechSamples();
    const zeroChannelWav = encodeWav(speech.subarray(0, 24_000), 24_000);
    new DataView(zeroChannelWav.buffer).setUint16(22, 0, true);
    const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
    const nasty: Uint8Array[] = [
      zeroChannelWav,
      Uint8Array.from([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WAVE')]),
      Uint8Array.from([...ascii('ID3'), 4, 0, 0, 0, 0, 0, 10, ...new Array<number>(10).fill(0)]),
      Uint8Array.from([...ascii('fLaC'), 0, 0, 0, 34, ...new Array<number>(34).fill(0)]),
      Uint8Array.from([...ascii('OggS'), ...new Array<number>(100).fill(0xff)]),
      Uint8Array.from([0, 0, 0, 20, ...ascii('ftypM4A '), 0, 0, 0, 0, ...ascii('M4A ')]),
      Uint8Array.from([0xff, 0xfb, 0x90, 0x64, ...randomBytes(417, 9), 0xff, 0xfb, 0x90, 0x64]),
      // Cuts inside a frame (a CBR MP3 cut exactly between two frames is just a shorter MP3, and valid).
      ...[0.01, 0.1, 0.37, 0.73, 0.99].flatMap((share) => [
        truncate(fixtures.speech_mp3, share),
        truncate(fixtures.speech_wav, share),
      ]),
    ];

    // Act
    const results = await Promise.all(nasty.map((bytes) => analyseSample(bytes)));

    // Assess
    for (const report of results) {
      expect(report.verdict).toBe('rejected');
      expect(report.reasons.length).toBeGreaterThan(0);
    }
  });
});
