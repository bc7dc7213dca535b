// Joining sentences' audio, measuring how long audio plays, and converting samples to the format asked for.
import { parseBuffer } from 'music-metadata';
import { describe, expect, it } from 'vitest';
import { fromPcm } from '../../../functions/audio/convert.ts';
import { joinAudio } from '../../../functions/audio/join.ts';
import { audioSeconds } from '../../../functions/audio/measure.ts';
import { encodeMp3 } from '../../../functions/audio/mp3.ts';
import { pcmToBytes } from '../../../functions/audio/pcm.ts';
import { encodeWav, parseWav } from '../../../functions/audio/wav.ts';

function tone(seconds: number, rate: number, frequency = 300): Int16Array {
  return Int16Array.from({ length: Math.round(seconds * rate) }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * frequency * i) / rate)),
  );
}

describe('joinAudio', () => {
  it('joins WAV parts at different rates at the first part’s rate', () => {
    // Prepare
    const first = encodeWav(tone(1, 24_000), 24_000);
    const second = encodeWav(tone(0.5, 12_000), 12_000);

    // Act
    const joined = parseWav(joinAudio([first, second], 'wav'));

    // Assess
    expect(joined.sampleRate).toBe(24_000);
    expect(joined.samples.length).toBe(36_000);
    expect(joined.samples.subarray(0, 24_000)).toEqual(tone(1, 24_000));
  });

  it('joins PCM parts byte for byte', () => {
    // Prepare
    const parts = [new Uint8Array([1, 2]), new Uint8Array([3, 4, 5, 6])];

    // Act
    const joined = joinAudio(parts, 'pcm');

    // Assess
    expect([...joined]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('joins MP3 parts into a file as long as the parts together', async () => {
    // Prepare
    const parts = [await encodeMp3(tone(0.6, 24_000), 24_000), await encodeMp3(tone(0.9, 24_000), 24_000)];
    const lengths = await Promise.all(parts.map((part) => audioSeconds(part, 'mp3')));

    // Act
    const joined = joinAudio(parts, 'mp3');

    // Assess
    expect(
      Math.abs((await audioSeconds(joined, 'mp3')) - (lengths[0] ?? 0) - (lengths[1] ?? 0)),
    ).toBeLessThan(0.1);
  });

  it('says which WAV part it cannot read', () => {
    // Prepare
    const parts = [encodeWav(tone(0.1, 24_000), 24_000), new Uint8Array(10)];

    // Act / Assess
    expect(() => joinAudio(parts, 'wav')).toThrow(/WAV part 2 of 2 cannot be read/);
  });

  it('refuses to join nothing', () => {
    expect(() => joinAudio([], 'mp3')).toThrow(/No mp3 parts to join/);
  });
});

describe('audioSeconds', () => {
  it('counts MP3 frames', async () => {
    // Prepare
    const mp3 = await encodeMp3(tone(2, 24_000), 24_000);

    // Act
    const seconds = await audioSeconds(mp3, 'mp3');

    // Assess: LAME adds about 50 ms of encoder delay and padding.
    expect(seconds).toBeGreaterThan(2);
    expect(seconds).toBeLessThan(2.1);
  });

  it('measures MP3 as a tag parser does, around ID3 tags and stray bytes', async () => {
    // Prepare: an ID3v2 tag in front, stray bytes before the first frame, an ID3v1 tag at the end.
    const plain = await encodeMp3(tone(1.3, 16_000), 16_000);
    const id3v2 = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 20, ...new Array<number>(20).fill(0)]);
    const id3v1 = new Uint8Array(128).fill(0x20);
    id3v1.set([0x54, 0x41, 0x47]);
    const tagged = new Uint8Array([...id3v2, 0x13, 0x37, ...plain, ...id3v1]);

    for (const mp3 of [plain, tagged]) {
      // Act
      const seconds = await audioSeconds(mp3, 'mp3');
      const { format } = await parseBuffer(mp3, { mimeType: 'audio/mpeg' }, { duration: true });

      // Assess
      expect(seconds).toBeCloseTo(format.duration!, 6);
    }
  });

  it('reads a WAV file’s length from its header, even with a streaming data size', async () => {
    // Prepare
    const wav = encodeWav(tone(1.5, 22_050), 22_050);
    const streamed = wav.slice();
    new DataView(streamed.buffer).setUint32(40, 0xffffffff, true);

    // Act
    const [seconds, streamedSeconds] = await Promise.all([
      audioSeconds(wav, 'wav'),
      audioSeconds(streamed, 'wav'),
    ]);

    // Assess
    expect(seconds).toBe(1.5);
    expect(streamedSeconds).toBe(1.5);
  });

  it('measures raw PCM at the given rate', async () => {
    // Prepare
    const pcm = new Uint8Array(48_000);

    // Act / Assess
    expect(await audioSeconds(pcm, 'pcm')).toBe(1);
    expect(await audioSeconds(pcm, 'pcm', 16_000)).toBe(1.5);
  });

  it('refuses to measure bytes with no MPEG frames', async () => {
    await expect(audioSeconds(new TextEncoder().encode('not audio at all'), 'mp3')).rejects.toThrow(
      /no MPEG frames/,
    );
  });
});

describe('fromPcm', () => {
  it.each(['mp3', 'wav'] as const)('makes %s mono at 24 kHz from 22.05 kHz samples', async (format) => {
    // Prepare
    const samples = tone(1, 22_050);

    // Act
    const audio = await fromPcm(samples, 22_050, format);
    const { format: info } = await parseBuffer(
      audio,
      { mimeType: `audio/${format === 'mp3' ? 'mpeg' : 'wav'}` },
      {
        duration: true,
      },
    );

    // Assess
    expect(info.sampleRate).toBe(24_000);
    expect(info.numberOfChannels).toBe(1);
    expect(info.duration).toBeGreaterThan(0.99);
    expect(info.duration).toBeLessThan(1.1);
  });

  it('makes raw PCM bytes at the target rate', async () => {
    // Prepare
    const samples = tone(0.5, 24_000);

    // Act
    const audio = await fromPcm(samples, 24_000, 'pcm');

    // Assess
    expect(audio).toEqual(pcmToBytes(samples));
  });
});
