// Raw samples: resampling keeps length and pitch right, and bytes stay little-endian wherever they sit.
import { describe, expect, it } from 'vitest';
import { bytesToPcm, pcmToBytes, resample } from '../../../functions/audio/pcm.ts';

function sine(frequency: number, seconds: number, rate: number): Int16Array {
  return Int16Array.from({ length: Math.round(seconds * rate) }, (_, i) =>
    Math.round(16_000 * Math.sin((2 * Math.PI * frequency * i) / rate)),
  );
}

function zeroCrossings(samples: Int16Array): number {
  let count = 0;
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i - 1] ?? 0) < 0 !== (samples[i] ?? 0) < 0) count++;
  }
  return count;
}

describe('resample', () => {
  it('returns an equal copy when the rates are the same', () => {
    // Prepare
    const samples = sine(440, 0.01, 24_000);

    // Act
    const out = resample(samples, 24_000, 24_000);

    // Assess
    expect(out).toEqual(samples);
    expect(out).not.toBe(samples);
  });

  it.each([
    [22_050, 24_000, 24_000],
    [24_000, 16_000, 16_000],
    [48_000, 24_000, 24_000],
    [16_000, 24_000, 24_000],
  ])('turns one second at %d Hz into %d samples at %d Hz', (from, to, expected) => {
    // Prepare
    const samples = sine(440, 1, from);

    // Act
    const out = resample(samples, from, to);

    // Assess
    expect(out.length).toBe(expected);
  });

  it.each([
    [22_050, 24_000],
    [24_000, 16_000],
  ])('keeps a 440 Hz tone at 440 Hz from %d to %d Hz', (from, to) => {
    // Prepare
    const samples = sine(440, 1, from);

    // Act
    const out = resample(samples, from, to);

    // Assess: a 440 Hz sine crosses zero 880 times a second.
    expect(Math.abs(zeroCrossings(out) - 880)).toBeLessThanOrEqual(2);
  });

  it('keeps an empty input empty', () => {
    expect(resample(new Int16Array(0), 22_050, 24_000).length).toBe(0);
  });

  it('refuses a rate of zero', () => {
    expect(() => resample(new Int16Array(4), 0, 24_000)).toThrow(/Invalid source sample rate: 0/);
  });
});

describe('pcmToBytes and bytesToPcm', () => {
  it('writes signed 16-bit little-endian bytes', () => {
    // Prepare
    const samples = Int16Array.from([1, -2, 256]);

    // Act
    const bytes = pcmToBytes(samples);

    // Assess
    expect([...bytes]).toEqual([1, 0, 0xfe, 0xff, 0, 1]);
  });

  it('copies, so changing the bytes leaves the samples alone', () => {
    // Prepare
    const samples = Int16Array.from([1, 2]);

    // Act
    const bytes = pcmToBytes(samples);
    bytes[0] = 99;

    // Assess
    expect(samples[0]).toBe(1);
  });

  it('reads bytes that start at an odd offset of their buffer', () => {
    // Prepare
    const buffer = new Uint8Array([0xaa, 1, 0, 0xfe, 0xff, 0, 1]);

    // Act
    const samples = bytesToPcm(buffer.subarray(1));

    // Assess
    expect([...samples]).toEqual([1, -2, 256]);
  });

  it('round-trips samples', () => {
    // Prepare
    const samples = sine(300, 0.05, 24_000);

    // Act
    const back = bytesToPcm(pcmToBytes(samples));

    // Assess
    expect(back).toEqual(samples);
  });

  it('refuses an odd number of bytes', () => {
    expect(() => bytesToPcm(new Uint8Array(3))).toThrow(/even number of bytes, got 3/);
  });
});
