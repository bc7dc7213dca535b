// MP3: encoding speech with LAME, and joining sentences' MP3 parts into one file players measure correctly.
import { parseBuffer } from 'music-metadata';
import { describe, expect, it } from 'vitest';
import { encodeMp3, joinMp3 } from '../../../functions/audio/mp3.ts';

const RATE = 24_000;

function tone(seconds: number, frequency = 300, rate = RATE): Int16Array {
  return Int16Array.from({ length: Math.round(seconds * rate) }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * frequency * i) / rate)),
  );
}

async function duration(mp3: Uint8Array): Promise<number> {
  const { format } = await parseBuffer(mp3, { mimeType: 'audio/mpeg' }, { duration: true });
  return format.duration ?? Number.NaN;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** An ID3v2.4 tag with one text frame and some padding, its size synchsafe; with a footer when asked. */
function id3v2(withFooter = false): Uint8Array {
  const frame = concat(ascii('TIT2'), new Uint8Array([0, 0, 0, 6, 0, 0, 3]), ascii('Hello'));
  const body = concat(frame, new Uint8Array(200 - frame.length));
  const size = [
    (body.length >> 21) & 0x7f,
    (body.length >> 14) & 0x7f,
    (body.length >> 7) & 0x7f,
    body.length & 0x7f,
  ];
  const header = concat(ascii('ID3'), new Uint8Array([4, 0, withFooter ? 0x10 : 0, ...size]));
  const footer = concat(ascii('3DI'), header.subarray(3));
  return withFooter ? concat(header, body, footer) : concat(header, body);
}

/** A 128-byte ID3v1 tag. */
function id3v1(): Uint8Array {
  const tag = new Uint8Array(128);
  tag.set(ascii('TAGA sentence'));
  return tag;
}

/** An APEv2 tag with header and footer around one item. */
function apeTag(): Uint8Array {
  const item = concat(new Uint8Array([5, 0, 0, 0, 0, 0, 0, 0]), ascii('Title\0Hello'));
  const block = (isHeader: boolean) => {
    const bytes = concat(ascii('APETAGEX'), new Uint8Array(24));
    const view = new DataView(bytes.buffer);
    view.setUint32(8, 2000, true);
    view.setUint32(12, item.length + 32, true);
    view.setUint32(16, 1, true);
    view.setUint32(20, 0x80000000 | (isHeader ? 0x20000000 : 0), true);
    return bytes;
  };
  return concat(block(true), item, block(false));
}

/** The Xing/Info/VBRI frame an encoder writes first, built on the part's own first frame header. */
function infoFrame(part: Uint8Array, kind: 'Xing' | 'Info' | 'VBRI'): Uint8Array {
  const frame = new Uint8Array(144); // 48 kbps MPEG-2 Layer III at 24 kHz
  frame.set(part.subarray(0, 4));
  frame.set(ascii(kind), kind === 'VBRI' ? 36 : 13);
  if (kind !== 'VBRI') {
    new DataView(frame.buffer).setUint32(17, 1);
    new DataView(frame.buffer).setUint32(21, part.length / 144);
  }
  return frame;
}

function contains(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(needle);
}

describe('encodeMp3', () => {
  it('encodes mono 24 kHz samples that players read back at the same rate and length', async () => {
    // Prepare
    const samples = tone(1);

    // Act
    const mp3 = await encodeMp3(samples, RATE);
    const { format } = await parseBuffer(mp3, { mimeType: 'audio/mpeg' }, { duration: true });

    // Assess
    expect(format.sampleRate).toBe(RATE);
    expect(format.numberOfChannels).toBe(1);
    expect(format.bitrate).toBe(48_000);
    expect(format.duration).toBeGreaterThan(0.95);
    expect(format.duration).toBeLessThan(1.1);
  });

  it('gives the same bytes for overlapping calls as for calls one at a time', async () => {
    // Prepare
    const inputs = [tone(0.5, 200), tone(1.5, 400), tone(0.2, 600)];
    const oneByOne: Uint8Array[] = [];
    for (const input of inputs) oneByOne.push(await encodeMp3(input, RATE));

    // Act
    const overlapping = await Promise.all(inputs.map((input) => encodeMp3(input, RATE)));

    // Assess
    expect(overlapping).toEqual(oneByOne);
  });

  it('refuses a bitrate LAME does not offer', async () => {
    await expect(encodeMp3(tone(0.1), RATE, { bitrateKbps: 50 })).rejects.toThrow(
      /Unsupported MP3 bitrate 50 kbps/,
    );
  });
});

describe('joinMp3', () => {
  it('joins two parts into one file as long as both together', async () => {
    // Prepare
    const first = await encodeMp3(tone(1), RATE);
    const second = await encodeMp3(tone(2, 500), RATE);

    // Act
    const joined = joinMp3([first, second]);

    // Assess
    expect(joined).toEqual(concat(first, second));
    expect(
      Math.abs((await duration(joined)) - (await duration(first)) - (await duration(second))),
    ).toBeLessThan(0.1);
  });

  it('drops leading ID3v2 tags (with or without footer) and trailing ID3v1 and APE tags', async () => {
    // Prepare
    const first = await encodeMp3(tone(0.5), RATE);
    const second = await encodeMp3(tone(0.7), RATE);
    const taggedFirst = concat(id3v2(), first, apeTag(), id3v1());
    const taggedSecond = concat(id3v2(true), second, id3v1());

    // Act
    const joined = joinMp3([taggedFirst, taggedSecond]);

    // Assess
    expect(joined).toEqual(concat(first, second));
    expect(contains(joined, 'ID3') || contains(joined, 'TAG') || contains(joined, 'APETAGEX')).toBe(false);
  });

  it.each(['Xing', 'Info', 'VBRI'] as const)('drops each part’s %s header frame', async (kind) => {
    // Prepare
    const first = await encodeMp3(tone(1), RATE);
    const second = await encodeMp3(tone(1, 450), RATE);
    const parts = [concat(id3v2(), infoFrame(first, kind), first), concat(infoFrame(second, kind), second)];

    // Act
    const joined = joinMp3(parts);

    // Assess
    expect(contains(concat(...parts), kind)).toBe(true);
    expect(contains(joined, kind)).toBe(false);
    expect(joined).toEqual(concat(first, second));
  });

  it('refuses a part that is not MPEG audio, saying which', () => {
    // Prepare
    const garbage = ascii('this is plainly not an mp3 file at all');

    // Act / Assess
    expect(() => joinMp3([garbage])).toThrow(/MP3 part 1 of 1 is not MPEG audio/);
  });

  it('refuses a WAV part and an empty part', async () => {
    // Prepare
    const mp3 = await encodeMp3(tone(0.2), RATE);
    const wav = concat(ascii('RIFF'), new Uint8Array(4), ascii('WAVEfmt '), new Uint8Array(40));

    // Act / Assess
    expect(() => joinMp3([mp3, wav])).toThrow(/MP3 part 2 of 2 is not MPEG audio/);
    expect(() => joinMp3([mp3, new Uint8Array(0)])).toThrow(/MP3 part 2 of 2 is not MPEG audio/);
  });

  it('refuses parts at different sample rates', async () => {
    // Prepare
    const at24 = await encodeMp3(tone(0.3), RATE);
    const at16 = await encodeMp3(tone(0.3, 300, 16_000), 16_000);

    // Act / Assess
    expect(() => joinMp3([at24, at16])).toThrow(/part 2 of 2 is at 16000 Hz, the first part at 24000 Hz/);
  });
});
