// WAV files: what the provider adapters read from eSpeak and the providers, and what callers receive.
import { describe, expect, it } from 'vitest';
import { encodeWav, parseWav, readWavHeader, streamingWavHeader } from '../../../functions/audio/wav.ts';

/** A WAV file with any format fields and raw sample bytes, and optionally a chunk before the data. */
function wavFile(options: {
  audioFormat?: number;
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  blockAlign?: number;
  data: Uint8Array;
  dataSize?: number;
  extraChunk?: { id: string; body: Uint8Array };
}): Uint8Array {
  const {
    audioFormat = 1,
    channels = 1,
    sampleRate = 16_000,
    bitsPerSample = 16,
    data,
    extraChunk,
  } = options;
  const extra = extraChunk ? 8 + extraChunk.body.length + (extraChunk.body.length % 2) : 0;
  const bytes = new Uint8Array(44 + extra + data.length);
  const view = new DataView(bytes.buffer);
  const text = (offset: number, value: string) =>
    [...value].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, bytes.length - 8, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, audioFormat, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, (sampleRate * channels * bitsPerSample) / 8, true);
  view.setUint16(32, options.blockAlign ?? (channels * bitsPerSample) / 8, true);
  view.setUint16(34, bitsPerSample, true);
  let offset = 36;
  if (extraChunk) {
    text(offset, extraChunk.id);
    view.setUint32(offset + 4, extraChunk.body.length, true);
    bytes.set(extraChunk.body, offset + 8);
    offset += extra;
  }
  text(offset, 'data');
  view.setUint32(offset + 4, options.dataSize ?? data.length, true);
  bytes.set(data, offset + 8);
  return bytes;
}

function int16Bytes(values: number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 2));
  values.forEach((value, i) => view.setInt16(i * 2, value, true));
  return new Uint8Array(view.buffer);
}

describe('encodeWav and parseWav', () => {
  it('round-trips samples through a canonical 44-byte header', () => {
    // Prepare
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234, -4321]);

    // Act
    const bytes = encodeWav(samples, 24_000);
    const parsed = parseWav(bytes);

    // Assess
    expect(bytes.length).toBe(44 + samples.length * 2);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('RIFF');
    expect(parsed).toEqual({ sampleRate: 24_000, channels: 1, bitsPerSample: 16, samples });
  });

  it.each([0, 0xffffffff])(
    'takes the rest of the file when the data size is the streaming placeholder %d',
    (size) => {
      // Prepare
      const bytes = wavFile({ data: int16Bytes([10, 20, 30, 40]), dataSize: size });

      // Act
      const parsed = parseWav(bytes);

      // Assess
      expect([...parsed.samples]).toEqual([10, 20, 30, 40]);
    },
  );

  it('skips chunks it does not need, including an odd-sized one and its pad byte', () => {
    // Prepare
    const bytes = wavFile({
      data: int16Bytes([7, -7]),
      extraChunk: { id: 'LIST', body: new Uint8Array([1, 2, 3]) },
    });

    // Act
    const parsed = parseWav(bytes);

    // Assess
    expect([...parsed.samples]).toEqual([7, -7]);
  });

  it('mixes interleaved stereo down to mono', () => {
    // Prepare
    const bytes = wavFile({ channels: 2, data: int16Bytes([1000, 3000, -2000, 0, 32767, 32767]) });

    // Act
    const parsed = parseWav(bytes);

    // Assess
    expect(parsed.channels).toBe(2);
    expect([...parsed.samples]).toEqual([2000, -1000, 32767]);
  });

  it('converts 8-bit unsigned samples to 16-bit', () => {
    // Prepare
    const bytes = wavFile({ bitsPerSample: 8, data: new Uint8Array([128, 192, 0]) });

    // Act
    const parsed = parseWav(bytes);

    // Assess
    expect(parsed.bitsPerSample).toBe(8);
    expect([...parsed.samples]).toEqual([0, 16384, -32768]);
  });

  it('converts 32-bit float samples to 16-bit, clipping what is out of range', () => {
    // Prepare
    const floats = new Float32Array([0, 0.5, -1, 2]);
    const bytes = wavFile({ audioFormat: 3, bitsPerSample: 32, data: new Uint8Array(floats.buffer) });

    // Act
    const parsed = parseWav(bytes);

    // Assess
    expect([...parsed.samples]).toEqual([0, 16384, -32767, 32767]);
  });

  it('refuses an encoding it cannot convert, saying which', () => {
    // Prepare
    const adpcm = wavFile({ audioFormat: 2, bitsPerSample: 4, blockAlign: 256, data: new Uint8Array(512) });

    // Act / Assess
    expect(() => parseWav(adpcm)).toThrow(/Unsupported WAV encoding: 4-bit format code 2/);
  });

  it('refuses bytes that are not a WAV file', () => {
    // Prepare
    const mp3ish = new Uint8Array([0xff, 0xf3, 0x64, 0xc4, 1, 2, 3, 4, 5, 6, 7, 8]);

    // Act / Assess
    expect(() => parseWav(mp3ish)).toThrow(/Not a WAV file/);
    expect(() => parseWav(new Uint8Array(4))).toThrow(/shorter than a RIFF header/);
  });

  it('reads a file that starts at an odd offset of a larger buffer', () => {
    // Prepare
    const wav = encodeWav(Int16Array.from([5, -5, 300]), 8000);
    const buffer = new Uint8Array(wav.length + 1);
    buffer.set(wav, 1);

    // Act
    const parsed = parseWav(buffer.subarray(1));

    // Assess
    expect([...parsed.samples]).toEqual([5, -5, 300]);
  });

  it('reports where the samples are without decoding them', () => {
    // Prepare
    const bytes = encodeWav(new Int16Array(100), 22_050);

    // Act
    const header = readWavHeader(bytes);

    // Assess
    expect(header).toMatchObject({
      sampleRate: 22_050,
      channels: 1,
      blockAlign: 2,
      dataOffset: 44,
      dataLength: 200,
    });
  });
});

describe('streamingWavHeader', () => {
  it('is the canonical 44-byte header with both sizes set to the unknown-length placeholder', () => {
    // Act
    const header = streamingWavHeader(24_000);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);

    // Assess
    expect(header.byteLength).toBe(44);
    expect(view.getUint32(4, true)).toBe(0xffffffff);
    expect(view.getUint32(40, true)).toBe(0xffffffff);
    // Everything between the two sizes is an empty canonical file's: RIFF…WAVE, fmt (mono 16-bit at 24 kHz), data.
    expect([...header.subarray(8, 40)]).toEqual([...encodeWav(new Int16Array(0), 24_000).subarray(8, 40)]);
    expect(readWavHeader(header)).toMatchObject({ sampleRate: 24_000, channels: 1, bitsPerSample: 16 });
  });

  it('makes the samples streamed after it readable as 16-bit mono at its rate', () => {
    // Prepare
    const samples = Int16Array.from([0, 100, -100, 32767, -32768]);
    const pcm = new Uint8Array(samples.buffer);

    // Act
    const parsed = parseWav(Buffer.concat([streamingWavHeader(22_050), pcm]));

    // Assess
    expect(parsed).toEqual({ sampleRate: 22_050, channels: 1, bitsPerSample: 16, samples });
  });
});
